"use client";

export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error && "digest" in error ? String(error.digest) : null;
  return (
    <div role="alert" className="rounded-lg border border-red-300 bg-red-50 p-8">
      <h1 className="text-lg font-semibold text-red-900">This page failed to load.</h1>
      <p className="mt-1 text-sm text-red-800">The server logged the error{digest ? ` (reference ${digest})` : ""}.</p>
      <button type="button" onClick={() => retry()} className="mt-4 rounded bg-red-700 px-4 py-2 text-sm font-semibold text-white hover:bg-red-800">
        Try again
      </button>
    </div>
  );
}
