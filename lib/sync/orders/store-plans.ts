import type { Database } from "../../db";
import { saveLinks, type LinkUpdate } from "../links";

/**
 * The plans of a page of sales, stored together (one statement) once the page is prepared and before any of
 * them is written. A plan must be in its link before its first write (a later version of the sale is compared
 * against it); one statement per page instead of one per sale is most of what preparing a sale costs in round
 * trips. Until then the lines of the plans held here still find their sale (a refund prepared in the same page
 * as the sale it refunds), as they would in the links.
 */
export class PlansToStore {
  // By sale: one statement cannot update a row twice, and the later plan of a sale is the one to keep.
  private readonly rows = new Map<string, LinkUpdate<"sale">>();
  private readonly saleOfLines = new Map<string, string>();

  add(saleId: string, lineIds: string[], update: LinkUpdate<"sale">): void {
    this.rows.set(saleId, update);
    for (const lineId of lineIds) this.saleOfLines.set(lineId, saleId);
  }

  /** The sale a line belongs to, among the plans held here (not stored yet). */
  saleOfLine(saleLineId: string): string | null {
    return this.saleOfLines.get(saleLineId) ?? null;
  }

  async store(database: Database, tenantId: string): Promise<void> {
    const rows = [...this.rows].map(([sourceId, update]) => ({ sourceId, update }));
    this.rows.clear();
    this.saleOfLines.clear();
    await saveLinks(database, tenantId, "sale", rows);
  }
}
