import type { InputHTMLAttributes } from "react";

interface FormFieldProps extends InputHTMLAttributes<HTMLInputElement> {
  /** The request path the API names in error details, also used as the input name. */
  name: string;
  /** Needed only when two forms on one page share a field name; `field-<name>` otherwise. */
  id?: string;
  label: string;
  hint?: string;
  error?: string;
  multiline?: boolean;
}

export function FormField({ name, id: givenId, label, hint, error, multiline = false, className = "", ...input }: FormFieldProps) {
  const id = givenId ?? `field-${name}`;
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  const control = {
    id,
    name,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": describedBy,
    className: `mt-1 w-full rounded border bg-white px-2 py-1.5 text-sm ${error ? "border-red-500" : "border-slate-300"} ${className}`,
  };
  return (
    <div className="text-sm">
      <label htmlFor={id} className="font-medium text-slate-800">{label}</label>
      {multiline ? <textarea rows={3} placeholder={input.placeholder} {...control} /> : <input {...input} {...control} />}
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-red-700">{error}</p>
      ) : hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">{hint}</p>
      ) : null}
    </div>
  );
}
