import type { TeardownView } from "@/components/flag/flag-api";
import { RelativeTime } from "@/components/ui/relative-time";
import { ContractionDatabaseEvidence } from "./database-step-evidence";
import { TeardownActionButton } from "./teardown-actions";
import { TeardownStep, type StepPanelProps } from "./teardown-step";

/** Step 4: the old column dropped, confirmed environment by environment. */
export function SchemaContractedPanel({ teardown, state, flagKey, env, canOperate, confirm }: StepPanelProps) {
  const { schemaContracted } = teardown;
  const statements = schemaContracted.statements;
  const dropColumn = statements.findLast((step) => step.sql !== null)?.sql ?? null;
  return (
    <TeardownStep number={4} title="Schema contracted" state={state}>
      <SchemaContractedEvidence schemaContracted={schemaContracted} env={env} ticketStatus={teardown.ticketStatus} />
      {schemaContracted.done ? null : <ContractionDatabaseEvidence flagKey={flagKey} env={env} />}
      {canOperate && !schemaContracted.done ? (
        <TeardownActionButton
          flagKey={flagKey}
          env={env}
          action="confirmSchemaContracted"
          testId="confirm-schema-contracted"
          label={`Confirm column dropped in ${env}`}
          blockedBy={schemaContracted.blockedBy}
          prompt={dropColumn ? `Confirm this has run on ${env}'s database?` : `No column is named on the ticket. Confirm nothing is left to drop in ${env}?`}
          detail={dropColumn ? <code className="font-mono text-xs">{dropColumn}</code> : undefined}
          confirmLabel={`Yes, dropped in ${env}`}
          {...confirm}
        />
      ) : null}
    </TeardownStep>
  );
}

interface SchemaContractedEvidenceProps {
  schemaContracted: TeardownView["schemaContracted"];
  env: string;
  ticketStatus: TeardownView["ticketStatus"];
}

function SchemaContractedEvidence({ schemaContracted, env, ticketStatus }: SchemaContractedEvidenceProps) {
  const pending = schemaContracted.pendingEnvironments;
  const statements = schemaContracted.statements;
  return (
    <>
      {statements.length > 0 ? (
        <ol className="space-y-1.5">
          {statements.map((step) => (
            <li key={step.say}>
              {statements.length > 1 || !step.sql ? <p className="text-xs">{step.say}</p> : null}
              {step.sql ? (
                <pre className="rounded whitespace-pre-wrap break-words bg-slate-900 px-2 py-1.5 font-mono text-xs text-slate-100">
                  <code>{step.sql}</code>
                </pre>
              ) : null}
            </li>
          ))}
        </ol>
      ) : (
        <p className="text-slate-500">No column named on the ticket.</p>
      )}
      {schemaContracted.done && schemaContracted.confirmedAt ? (
        <p className="mt-2">
          {schemaContracted.verified
            ? `Dropped in ${env}: verified in the application database, confirmed by ${schemaContracted.confirmedBy ?? "someone"}`
            : `Dropped in ${env}: confirmed by ${schemaContracted.confirmedBy ?? "a person"}, not verified`}{" "}
          <RelativeTime iso={schemaContracted.confirmedAt} />
        </p>
      ) : null}
      <p className="mt-2 text-xs">
        {pending.length > 0 ? (
          <>
            Pending in <span className="font-mono">{pending.join(", ")}</span>
          </>
        ) : (
          "Dropped in every environment."
        )}
      </p>
      {ticketStatus === "done" ? <p className="mt-2 font-semibold text-emerald-800">Removal ticket closed</p> : null}
    </>
  );
}
