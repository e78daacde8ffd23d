import type { ReactNode, SelectHTMLAttributes } from "react";

interface SelectFieldProps extends SelectHTMLAttributes<HTMLSelectElement> {
  /** The request path the API names in error details, also used as the select name. */
  name: string;
  /** Needed only when two forms on one page share a field name; `field-<name>` otherwise. */
  id?: string;
  label: string;
  hint?: string;
  error?: string;
  children: ReactNode;
}

/** FormField's twin for a `<select>`: same label, hint and error layout. */
export function SelectField({ name, id: givenId, label, hint, error, className = "", children, ...select }: SelectFieldProps) {
  const id = givenId ?? `field-${name}`;
  return (
    <div className="text-sm">
      <label htmlFor={id} className="font-medium text-slate-800">{label}</label>
      <select
        {...select}
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
        className={`mt-1 w-full rounded border bg-white px-2 py-1.5 text-sm ${error ? "border-red-500" : "border-slate-300"} ${className}`}
      >
        {children}
      </select>
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-red-700">{error}</p>
      ) : hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">{hint}</p>
      ) : null}
    </div>
  );
}
