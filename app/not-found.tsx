import Link from "next/link";

export default function NotFound() {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-10 text-center">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="mt-2 text-sm text-slate-600">There is no such flag or environment.</p>
      <Link href="/" className="mt-4 inline-block text-sm font-semibold text-blue-700 hover:underline">Back to the flags</Link>
    </div>
  );
}
