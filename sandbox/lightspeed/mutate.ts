import { d, decStr } from "./format";
import { moveStock, reserveStock, SaleFactory, type SaleKind } from "./generate";
import type { SaleRec, SandboxAccount } from "./model";
import { ApiError } from "./query";
import type { Rng } from "./rng";

/**
 * Trading while a sync runs: each mutation changes the store the way Lightspeed would and bumps exactly the
 * timestamps Lightspeed bumps (see README "Timestamps"). Used in-process by tests and over HTTP
 * (POST /__sandbox/mutate) by e2e tests and the demo.
 */
export type Mutation =
  /**
   * `completedAt` (in the past): a sale an offline register made then and uploads now — its times are then, its
   * `timeStamp` now, so a sync meets it after its business day may already be booked.
   */
  | { action: "addSale"; kind?: SaleKind; registerId?: number; customerId?: number; completedAt?: number }
  | { action: "refundSale"; saleId: number }
  | { action: "voidSale"; saleId: number }
  /** The merchant corrects the tender of a completed sale (cash ↔ card): same amount, another payment type. */
  | { action: "editSalePayment"; saleId: number; paymentTypeId: number; salePaymentId?: number }
  | { action: "completeSale"; saleId: number; at?: number }
  /** A layaway / special order / work order opened at the register (no deposit unless `addDeposit` follows). */
  | { action: "openReservation"; kind?: "layaway" | "special" | "workorder"; registerId?: number; customerId?: number; itemIds?: number[]; at?: number }
  /** An instalment paid on an open reservation. */
  | { action: "addDeposit"; saleId: number; amount: string; paymentTypeId?: number; at?: number }
  | { action: "changeStock"; itemId: number; shopId: number; delta: number }
  | { action: "editItem"; itemId: number; description?: string; price?: string; archived?: boolean; customSku?: string; ean?: string }
  | { action: "editCustomer"; customerId: number; firstName?: string; lastName?: string; company?: string; vatNumber?: string; email?: string; address1?: string; city?: string; zip?: string; archived?: boolean };

export interface MutationResult {
  action: Mutation["action"];
  id: number;
  timeStamp: string;
}

export interface MutatorOptions {
  /** Whether an edit of only the Contact (e-mail, address) bumps Customer.timeStamp. Unverified; default false. */
  contactEditBumpsCustomer: boolean;
}

export class Mutator {
  private factories = new Map<number, SaleFactory>();

  constructor(private readonly rng: Rng, private readonly now: () => number, private readonly options: MutatorOptions) {}

  private factory(account: SandboxAccount): SaleFactory {
    let f = this.factories.get(account.id);
    if (!f) {
      f = new SaleFactory(account.store, this.rng);
      this.factories.set(account.id, f);
    }
    return f;
  }

  /** A new store means new factories (they cache item and customer lists). */
  forget(accountId?: number): void {
    if (accountId === undefined) this.factories.clear();
    else this.factories.delete(accountId);
  }

  private sale(account: SandboxAccount, saleId: number): SaleRec {
    const s = account.store.sales.get(saleId);
    if (!s) throw new ApiError(404, `Sale ${saleId} does not exist`);
    return s;
  }

  apply(account: SandboxAccount, m: Mutation): MutationResult {
    const store = account.store;
    // Whole seconds, like Lightspeed's timestamps, and strictly after anything already stored.
    const now = Math.floor(this.now() / 1000) * 1000;
    // A scenario may place register actions in the past (a layaway opened weeks ago), never in the future.
    const when = (requested: number | undefined, notBefore = 0): number => {
      if (requested === undefined) return now;
      const t = Math.floor(requested / 1000) * 1000;
      if (t > now || t < notBefore) throw new ApiError(422, `time ${new Date(requested).toISOString()} is not between ${new Date(notBefore).toISOString()} and now`);
      return t;
    };
    const at = now;
    switch (m.action) {
      case "addSale": {
        const registerId = m.registerId ?? this.rng.pick([...store.registers.values()]).id;
        const made = when(m.completedAt);
        const sale = this.factory(account).build(store.sales.nextId(), registerId, made, m.kind ?? "normal", m.customerId);
        if (m.customerId !== undefined) sale.customerId = m.customerId;
        sale.timeStamp = at;
        store.addSale(sale);
        moveStock(store, sale, at);
        return { action: m.action, id: sale.id, timeStamp: new Date(at).toISOString() };
      }
      case "refundSale": {
        const original = this.sale(account, m.saleId);
        if (!original.completed || original.lines.every((l) => l.qty <= 0)) throw new ApiError(422, `Sale ${m.saleId} cannot be refunded`);
        const sale = this.factory(account).refund(store.sales.nextId(), original, at);
        store.addSale(sale);
        moveStock(store, sale, at);
        return { action: m.action, id: sale.id, timeStamp: new Date(at).toISOString() };
      }
      case "voidSale": {
        const sale = this.sale(account, m.saleId);
        if (sale.voided) throw new ApiError(422, `Sale ${m.saleId} is already voided`);
        sale.voided = true;
        sale.updateTime = at;
        sale.timeStamp = at;
        if (sale.completed) moveStock(store, { ...sale, lines: sale.lines.map((l) => ({ ...l, qty: -l.qty })) }, at);
        store.salesChanged();
        return { action: m.action, id: sale.id, timeStamp: new Date(at).toISOString() };
      }
      case "editSalePayment": {
        const sale = this.sale(account, m.saleId);
        if (!sale.completed || sale.voided) throw new ApiError(422, `Sale ${m.saleId} is not a completed sale`);
        const type = store.paymentTypes.get(m.paymentTypeId);
        if (!type) throw new ApiError(404, `PaymentType ${m.paymentTypeId} does not exist`);
        const tenders = new Set(["cash", "credit card", "ecom", "user defined"]);
        if (type.archived || !tenders.has(type.type)) throw new ApiError(422, `PaymentType ${m.paymentTypeId} cannot take a tender`);
        // Only a plain tender moves: gift-card and account payments carry balances elsewhere.
        const payment = sale.payments.find(
          (p) => !p.archived && p.creditAccountId === 0 && tenders.has(store.paymentTypes.get(p.paymentTypeId)?.type ?? "") && p.paymentTypeId !== m.paymentTypeId && (m.salePaymentId === undefined || p.id === m.salePaymentId),
        );
        if (!payment) throw new ApiError(422, `Sale ${m.saleId} has no tender to move to PaymentType ${m.paymentTypeId}`);
        payment.paymentTypeId = m.paymentTypeId;
        sale.updateTime = at;
        sale.timeStamp = at;
        store.salesChanged();
        return { action: m.action, id: sale.id, timeStamp: new Date(at).toISOString() };
      }
      case "completeSale": {
        const sale = this.sale(account, m.saleId);
        if (sale.completed) throw new ApiError(422, `Sale ${m.saleId} is already completed`);
        const t = when(m.at, Math.max(sale.createTime, ...sale.payments.map((p) => p.createTime)));
        reserveStock(store, sale, -1, t);
        this.factory(account).complete(sale, t);
        moveStock(store, sale, t);
        store.salesChanged();
        return { action: m.action, id: sale.id, timeStamp: new Date(t).toISOString() };
      }
      case "openReservation": {
        const t = when(m.at);
        const registerId = m.registerId ?? this.rng.pick([...store.registers.values()]).id;
        const items = (m.itemIds ?? []).map((id) => {
          const item = store.items.get(id);
          if (!item) throw new ApiError(404, `Item ${id} does not exist`);
          return item;
        });
        const sale = this.factory(account).reservation(store.sales.nextId(), registerId, t, m.kind ?? "layaway", { items, openingDeposit: false });
        if (m.customerId !== undefined) sale.customerId = m.customerId;
        store.addSale(sale);
        reserveStock(store, sale, 1, t);
        return { action: m.action, id: sale.id, timeStamp: new Date(t).toISOString() };
      }
      case "addDeposit": {
        const sale = this.sale(account, m.saleId);
        if (sale.completed || sale.voided) throw new ApiError(422, `Sale ${m.saleId} is not an open reservation`);
        if (!(d(m.amount).greaterThan(0))) throw new ApiError(422, "a deposit must be positive");
        const t = when(m.at, Math.max(sale.createTime, ...sale.payments.map((p) => p.createTime)));
        const payment = this.factory(account).deposit(sale, m.amount, m.paymentTypeId ?? 1, t);
        store.salesChanged();
        return { action: m.action, id: payment.id, timeStamp: new Date(t).toISOString() };
      }
      case "changeStock": {
        const rows = store.itemShopsByItem.get(m.itemId);
        if (!rows) throw new ApiError(404, `Item ${m.itemId} has no inventory rows`);
        const row = rows.find((r) => r.shopId === m.shopId);
        if (!row || m.shopId === 0) throw new ApiError(422, `Item ${m.itemId} has no ItemShop for shop ${m.shopId}`);
        row.qoh += m.delta;
        row.timeStamp = at;
        const summary = rows.find((r) => r.shopId === 0);
        if (summary) {
          summary.qoh += m.delta;
          summary.timeStamp = at;
        }
        store.itemShops.changed();
        // Deliberately NOT touching Item.timeStamp: Lightspeed does not bump it for stock changes.
        return { action: m.action, id: row.id, timeStamp: new Date(at).toISOString() };
      }
      case "editItem": {
        const item = store.items.get(m.itemId);
        if (!item) throw new ApiError(404, `Item ${m.itemId} does not exist`);
        if (m.price !== undefined) item.price = decStr(d(m.price));
        if (m.description !== undefined) item.description = m.description;
        if (m.customSku !== undefined) item.customSku = m.customSku;
        if (m.ean !== undefined) item.ean = m.ean;
        if (m.archived !== undefined) {
          item.archived = m.archived;
          // Archiving an item with stock zeroes its inventory.
          if (m.archived) for (const row of store.itemShopsByItem.get(item.id) ?? []) {
            row.qoh = 0;
            row.timeStamp = at;
          }
          store.itemShops.changed();
        }
        item.timeStamp = at;
        store.items.changed();
        return { action: m.action, id: item.id, timeStamp: new Date(at).toISOString() };
      }
      case "editCustomer": {
        const c = store.customers.get(m.customerId);
        if (!c) throw new ApiError(404, `Customer ${m.customerId} does not exist`);
        let customerFields = false;
        for (const k of ["firstName", "lastName", "company", "vatNumber"] as const) {
          if (m[k] !== undefined) {
            c[k] = m[k]!;
            customerFields = true;
          }
        }
        if (m.archived !== undefined) {
          c.archived = m.archived;
          customerFields = true;
        }
        let contactFields = false;
        for (const k of ["address1", "city", "zip"] as const) {
          if (m[k] !== undefined) {
            c.contact[k] = m[k]!;
            contactFields = true;
          }
        }
        if (m.email !== undefined) {
          c.contact.email = m.email;
          c.contact.noEmail = m.email === "";
          contactFields = true;
        }
        if (contactFields) c.contact.timeStamp = at;
        if (customerFields || (contactFields && this.options.contactEditBumpsCustomer)) {
          c.timeStamp = at;
          store.customers.changed();
        }
        return { action: m.action, id: c.id, timeStamp: new Date(c.timeStamp).toISOString() };
      }
    }
  }
}
