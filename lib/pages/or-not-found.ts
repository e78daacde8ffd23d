import { notFound } from "next/navigation";
import { NotFoundError } from "@/lib/errors";

/** Awaits a lib read and turns its NotFoundError (unknown flag or environment) into Next's 404 page. */
export async function orNotFound<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}
