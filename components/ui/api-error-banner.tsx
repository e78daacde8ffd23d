import type { ApiError } from "@/components/shell/api-client";

/**
 * A failed request: the API's message and any details no form field showed. When every detail
 * sits at its field, a validation message would only repeat them, so a short pointer replaces it.
 */
export function ApiErrorBanner({ error, shownPaths = [] }: { error: ApiError; shownPaths?: string[] }) {
  const otherDetails = error.details.filter((detail) => !shownPaths.includes(detail.path));
  const allAtFields = error.status === 400 && error.details.length > 0 && otherDetails.length === 0;
  return (
    <div role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
      <p className="font-medium">{allAtFields ? "Check the highlighted fields." : error.message}</p>
      {otherDetails.length > 0 ? (
        <ul className="mt-1 list-disc pl-5">
          {otherDetails.map((detail) => (
            <li key={`${detail.path}:${detail.message}`}>
              <code>{detail.path}</code>: {detail.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
