"use client";

import { useQuery } from "@tanstack/react-query";
import { adminQueries } from "@/components/settings/admin-queries";
import type { EnvironmentOption } from "@/components/shell/environment-switcher";
import type { DestinationView } from "@/lib/notifications/destinations";
import { AddDestinationForm } from "./add-destination-form";
import { DestinationCard } from "./destination-card";
import { notificationsApi } from "./notifications-api";

interface NotificationsAdminProps {
  initialDestinations: DestinationView[];
  initialEnvironments: EnvironmentOption[];
}

/** Settings → Notifications: the destinations, each with its controls, and the add form. */
export function NotificationsAdmin({ initialDestinations, initialEnvironments }: NotificationsAdminProps) {
  const destinations = useQuery({ queryKey: adminQueries.notificationDestinations(), queryFn: notificationsApi.destinations, initialData: initialDestinations });
  const environments = useQuery({ queryKey: adminQueries.environments(), queryFn: notificationsApi.environments, initialData: initialEnvironments });
  return (
    <div className="space-y-8">
      <section aria-labelledby="destinations-heading" className="space-y-3">
        <h2 id="destinations-heading" className="text-lg font-semibold">Destinations</h2>
        {destinations.data.length === 0 ? (
          <div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center">
            <p className="font-medium">No destinations yet.</p>
            <p className="mt-1 text-sm text-slate-600">Add one below so a kill at 3 a.m. reaches on-call, not just this page.</p>
          </div>
        ) : (
          <ul className="space-y-3">
            {destinations.data.map((destination) => (
              <DestinationCard key={destination.id} destination={destination} environments={environments.data} />
            ))}
          </ul>
        )}
      </section>
      <AddDestinationForm environments={environments.data} />
    </div>
  );
}
