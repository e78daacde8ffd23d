/** The optional "why" every change can carry into its audit event; the API keeps up to 1,000 characters. */
export function ReasonInput({
  label,
  placeholder,
  value,
  onChange,
}: {
  label: string;
  placeholder?: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <label className="mt-3 block text-sm">
      <span className="text-slate-700">{label}</span>
      <input
        type="text"
        name="reason"
        maxLength={1000}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        placeholder={placeholder}
        className="mt-1 w-full rounded border border-slate-300 bg-white px-2 py-1.5"
      />
    </label>
  );
}
