/**
 * Event names and schemas shared by app code (jobs.send, requestSync) and job definitions. They are defined in
 * lib/jobs/events.ts because lib code requests work too and may not import the job framework; this module
 * is the job side's view of the same map.
 */
export * from "@/lib/jobs/events";
