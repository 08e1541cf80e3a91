import type { Flow } from "@/db/schema";
import type { Database } from "../db";
import { AppError } from "../errors/app-error";

/** How often a flow polls. Stored in flow_settings.schedule as minutes; null = the installation's default cron. */
export const SCHEDULE_CHOICES = ["5", "15", "60", "1440"] as const;
export type ScheduleChoice = (typeof SCHEDULE_CHOICES)[number];

export interface FlowSwitch {
  flow: Flow;
  enabled: boolean;
  schedule: ScheduleChoice | null;
}

const FLOWS: Flow[] = ["orders", "products", "stock"];

export async function loadFlowSwitches(database: Database, tenantId: string): Promise<FlowSwitch[]> {
  const rows = await database.selectFrom("flow_settings").select(["flow", "enabled", "schedule"]).where("tenant_id", "=", tenantId).execute();
  return FLOWS.map((flow) => {
    const r = rows.find((x) => x.flow === flow);
    const schedule = (SCHEDULE_CHOICES as readonly string[]).includes(r?.schedule ?? "") ? (r!.schedule as ScheduleChoice) : null;
    return { flow, enabled: r?.enabled ?? false, schedule };
  });
}

/** Switches a flow on or off and sets its schedule; the flow's own settings (jsonb) are left untouched. */
export async function saveFlowSwitch(database: Database, tenantId: string, input: FlowSwitch): Promise<void> {
  if (!FLOWS.includes(input.flow)) throw new AppError("INVALID_INPUT", { detail: `unknown flow ${input.flow}` });
  await database
    .insertInto("flow_settings")
    .values({ tenant_id: tenantId, flow: input.flow, enabled: input.enabled, schedule: input.schedule, settings: "{}", updated_at: new Date() })
    .onConflict((oc) => oc.columns(["tenant_id", "flow"]).doUpdateSet({ enabled: input.enabled, schedule: input.schedule, updated_at: new Date() }))
    .execute();
}
