import { useId } from "react";

/** The "why" every change can carry into its audit event; the API keeps up to 1,000 characters. */
export function ReasonInput({
  label,
  placeholder,
  value,
  onChange,
  required = false,
  error,
}: {
  label: string;
  placeholder?: string;
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
  error?: string;
}) {
  const errorId = useId();
  return (
    <div className="mt-3 text-sm">
      <label className="block">
        <span className="text-slate-700">{label}</span>
        <input
          type="text"
          name="reason"
          maxLength={1000}
          required={required}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          placeholder={placeholder}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          className={`mt-1 w-full rounded border bg-white px-2 py-1.5 ${error ? "border-red-500" : "border-slate-300"}`}
        />
      </label>
      {error ? <p id={errorId} className="mt-1 text-red-700">{error}</p> : null}
    </div>
  );
}
