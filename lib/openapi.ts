import { z } from "zod";
import { loginSchema, registerSchema, roleSchema } from "../services/accounts.ts";
import { productQuerySchema } from "../services/catalogue.ts";
import {
  couponInputSchema,
  productCreateSchema,
  productPatchSchema,
  skuReplaceSchema,
} from "../services/catalogue_admin.ts";
import { cartPutSchema } from "../services/cart.ts";
import {
  bannerInputSchema,
  bannerPatchSchema,
  blockInputSchema,
  blockPatchSchema,
  moveSchema,
} from "../services/home_arrangement.ts";
import { planPublishSchema } from "../services/distribution.ts";
import { commissionQuerySchema, teamQuerySchema, withdrawalSchema } from "../services/earnings.ts";
import { phoneLookupSchema, profileSchema, staffRoleSchema } from "../services/members_admin.ts";
import { addressInputSchema, addressPatchSchema } from "../services/address_book.ts";
import { createOrderSchema } from "../services/orders.ts";
import { claimableQuerySchema, couponCodeSchema, myCouponsQuerySchema } from "../services/coupons.ts";
import { myOrdersQuerySchema } from "../services/order_lists.ts";
import { webhookSchema } from "../services/payments.ts";
import { applicationSchema } from "../services/programme.ts";
import { refundRequestSchema } from "../services/refunds.ts";
import { closePeriodSchema } from "../services/settlement.ts";
import { simulationSchema } from "../services/simulator.ts";
import { teamChildrenQuerySchema, teamSearchQuerySchema } from "../services/team.ts";

interface Operation {
  summary: string;
  body?: z.ZodType;
  query?: z.ZodObject;
  headers?: string[];
  status: number;
  /** Error codes the operation may answer with, besides invalid_input. */
  errors?: string[];
}

const id = { name: "id", in: "path", required: true, schema: { type: "string", pattern: "^\\d+$" } };
const code = { name: "code", in: "path", required: true, schema: z.toJSONSchema(couponCodeSchema) };
const empty = z.object({});

/** Every /api route, with the same zod schemas that validate its requests. */
const ROUTES: Record<string, Record<string, Operation>> = {
  "/api/auth/register": {
    post: { summary: "Register and sign in", body: registerSchema, status: 201, errors: ["conflict"] },
  },
  "/api/auth/login": {
    post: { summary: "Sign in", body: loginSchema, status: 200, errors: ["unauthenticated", "rate_limited"] },
  },
  "/api/auth/logout": { post: { summary: "Sign out", status: 204 } },
  "/api/auth/reauth": {
    post: {
      summary: "Re-enter the password for sensitive actions",
      body: z.object({ password: z.string() }),
      status: 204,
    },
  },
  "/api/me": { get: { summary: "The signed-in member", status: 200, errors: ["unauthenticated"] } },
  "/api/me/profile": { patch: { summary: "Change phone or ID number", body: profileSchema, status: 204 } },
  "/api/products": {
    get: { summary: "List products with this caller's prices", query: productQuerySchema, status: 200 },
  },
  "/api/products/{id}": { get: { summary: "One product", status: 200, errors: ["not_found"] } },
  "/api/categories": {
    get: { summary: "Every category: { items: [{ id, slug, name, parentId, icon }] }", status: 200 },
  },
  "/api/home": {
    get: {
      summary:
        "The shop home: { serverTime, banners, categories, flashSales (absolute startsAt/endsAt), blocks (products) }",
      status: 200,
    },
  },
  "/api/coupons": {
    get: {
      summary: "Coupons that can be claimed now (领券), with what is left and whether the caller holds one",
      query: claimableQuerySchema,
      status: 200,
    },
  },
  "/api/coupons/{code}/claim": {
    post: {
      summary: "Claim a claimable coupon (once per member; never past its totalLimit)",
      status: 201,
      errors: ["unauthenticated", "not_found", "conflict"],
    },
  },
  "/api/me/coupons": {
    get: {
      summary: "My claimed coupons (usable=true: still usable; status=usable|used|expired)",
      query: myCouponsQuerySchema,
      status: 200,
      errors: ["unauthenticated"],
    },
  },
  "/api/orders": {
    get: {
      summary: "My orders, newest first (status: one status or a comma list)",
      query: myOrdersQuerySchema,
      status: 200,
      errors: ["unauthenticated"],
    },
    post: {
      summary: "Create an order (stock is reserved)",
      body: createOrderSchema,
      headers: ["Idempotency-Key"],
      status: 201,
      errors: ["unauthenticated", "out_of_stock"],
    },
  },
  "/api/orders/{id}": { get: { summary: "One order (its buyer or a manager)", status: 200, errors: ["not_found"] } },
  "/api/orders/{id}/pay": {
    post: {
      summary: "Open a payment",
      body: z.object({ method: z.literal("sandbox") }),
      status: 200,
      errors: ["invalid_transition"],
    },
  },
  "/api/cart": {
    get: { summary: "The caller's cart, priced as checkout prices it", status: 200 },
    put: { summary: "Set cart lines by product and SKU (quantity 0 removes one)", body: cartPutSchema, status: 200 },
  },
  "/api/orders/{id}/cancel": {
    post: { summary: "Cancel an unpaid order", status: 200, errors: ["invalid_transition"] },
  },
  "/api/orders/{id}/confirm-receipt": {
    post: { summary: "Confirm receipt", status: 200, errors: ["invalid_transition"] },
  },
  "/api/orders/{id}/refunds": {
    post: { summary: "Request a refund", body: refundRequestSchema, status: 201, errors: ["invalid_transition"] },
  },
  "/api/payments/webhook/sandbox": {
    post: {
      summary: "Sandbox payment notification (X-Sandbox-Signature: sha256=<hex HMAC>)",
      body: webhookSchema,
      headers: ["X-Sandbox-Signature"],
      status: 200,
      errors: ["unauthenticated", "amount_mismatch"],
    },
  },
  "/api/me/team": { get: { summary: "My downline", query: teamQuerySchema, status: 200 } },
  "/api/me/team/children": {
    get: { summary: "Children of a member of my downline", query: teamChildrenQuerySchema, status: 200 },
  },
  "/api/me/team/search": { get: { summary: "Search my downline", query: teamSearchQuerySchema, status: 200 } },
  "/api/me/commissions": {
    get: { summary: "My commission lines and totals", query: commissionQuerySchema, status: 200 },
  },
  "/api/me/withdrawals": {
    get: { summary: "My withdrawals", status: 200 },
    post: {
      summary: "Withdraw",
      body: withdrawalSchema,
      headers: ["Idempotency-Key"],
      status: 201,
      errors: ["unprocessable"],
    },
  },
  "/api/me/statements": { get: { summary: "My settlement statements", status: 200 } },
  "/api/me/addresses": {
    get: { summary: "My address book (the default first)", status: 200 },
    post: { summary: "Add an address", body: addressInputSchema, status: 201, errors: ["conflict"] },
  },
  "/api/me/addresses/{id}": {
    patch: { summary: "Change an address", body: addressPatchSchema, status: 200, errors: ["not_found"] },
    delete: { summary: "Delete an address", status: 204, errors: ["not_found"] },
  },
  "/api/me/export": { get: { summary: "All my data as a JSON download", status: 200, errors: ["unauthenticated"] } },
  "/api/me/statements/{id}": { get: { summary: "One statement (JSON; .csv and .pdf as files)", status: 200 } },
  "/api/me/notifications": { get: { summary: "My notifications", status: 200 } },
  "/api/me/notifications/read": {
    post: { summary: "Mark notifications read", body: z.object({ id: z.string().optional() }), status: 204 },
  },
  "/api/me/distributor-application": {
    post: { summary: "Apply to become a distributor", body: applicationSchema, status: 201, errors: ["conflict"] },
  },
  "/api/admin/commission-plan": {
    get: { summary: "The plan in force and its compliance checks", status: 200 },
    put: {
      summary: "Publish a new plan version",
      body: planPublishSchema,
      status: 200,
      errors: ["compliance_violation", "conflict"],
    },
  },
  "/api/admin/commission-plan/simulate": {
    post: { summary: "What-if: replay a period under a draft plan", body: simulationSchema, status: 200 },
  },
  "/api/admin/products": {
    post: { summary: "Create a product (single-SKU fields or skus)", body: productCreateSchema, status: 201 },
  },
  "/api/admin/products/{id}/skus": {
    put: {
      summary: "Replace a product's specification axes and SKUs (audited)",
      body: skuReplaceSchema,
      status: 200,
      errors: ["not_found", "conflict"],
    },
  },
  "/api/admin/products/{id}": {
    get: { summary: "A product with cost and stock", status: 200 },
    patch: { summary: "Change a product (stock changes are recorded)", body: productPatchSchema, status: 200 },
    delete: { summary: "Archive a product (off sale, out of every list, kept for its orders)", status: 200 },
  },
  "/api/admin/products/{id}/restore": {
    post: { summary: "Restore an archived product (it stays off sale)", status: 200, errors: ["not_found"] },
  },
  "/api/admin/products/import": {
    post: { summary: "Import products from CSV (?dryRun=true to check only)", status: 201 },
  },
  "/api/admin/products/import-template.csv": { get: { summary: "The CSV import template", status: 200 } },
  "/api/admin/coupons": {
    post: { summary: "Create a coupon", body: couponInputSchema, status: 201, errors: ["conflict"] },
  },
  "/api/admin/home": {
    get: { summary: "Every banner and featured block of the home, in order, with its state", status: 200 },
  },
  "/api/admin/home/banners": {
    post: { summary: "Add a banner at the end of the carousel (audited)", body: bannerInputSchema, status: 201 },
  },
  "/api/admin/home/banners/{id}": {
    patch: { summary: "Change a banner (audited)", body: bannerPatchSchema, status: 200, errors: ["not_found"] },
    delete: { summary: "Delete a banner (audited)", status: 204, errors: ["not_found"] },
  },
  "/api/admin/home/banners/{id}/move": {
    post: { summary: "Move a banner up or down: { order }", body: moveSchema, status: 200, errors: ["not_found"] },
  },
  "/api/admin/home/blocks": {
    post: { summary: "Add a featured block after the others (audited)", body: blockInputSchema, status: 201 },
  },
  "/api/admin/home/blocks/{id}": {
    patch: { summary: "Change a featured block (audited)", body: blockPatchSchema, status: 200, errors: ["not_found"] },
    delete: { summary: "Delete a featured block (audited)", status: 204, errors: ["not_found"] },
  },
  "/api/admin/home/blocks/{id}/move": {
    post: {
      summary: "Move a featured block up or down: { order }",
      body: moveSchema,
      status: 200,
      errors: ["not_found"],
    },
  },
  "/api/admin/orders": { get: { summary: "Orders", status: 200 } },
  "/api/admin/orders/{id}/ship": {
    post: {
      summary: "Ship a paid order",
      body: z.object({ carrier: z.string(), trackingNumber: z.string() }),
      status: 200,
      errors: ["invalid_transition"],
    },
  },
  "/api/admin/refunds/{id}/approve": {
    post: {
      summary: "Approve a refund (optional body { note } for the buyer)",
      status: 200,
      errors: ["invalid_transition"],
    },
  },
  "/api/admin/refunds/{id}/reject": {
    post: { summary: "Reject a refund", body: z.object({ reason: z.string() }), status: 200 },
  },
  "/api/admin/withdrawals": { get: { summary: "Withdrawals", status: 200 } },
  "/api/admin/withdrawals/{id}/approve": {
    post: {
      summary: "Approve a withdrawal (re-authentication)",
      body: z.object({ password: z.string().optional() }),
      status: 200,
    },
  },
  "/api/admin/withdrawals/{id}/reject": {
    post: { summary: "Reject a withdrawal", body: z.object({ reason: z.string() }), status: 200 },
  },
  "/api/admin/settlements": {
    post: { summary: "Close a settlement period", body: closePeriodSchema, status: 201, errors: ["conflict"] },
  },
  "/api/admin/distributor-applications": { get: { summary: "Distributor applications", status: 200 } },
  "/api/admin/distributor-applications/{id}/approve": {
    post: { summary: "Approve an application", body: z.object({ reason: z.string().optional() }), status: 200 },
  },
  "/api/admin/distributor-applications/{id}/reject": {
    post: { summary: "Reject an application", body: z.object({ reason: z.string() }), status: 200 },
  },
  "/api/admin/users": {
    get: { summary: "Find members by phone (keyed hash; masked by staff role)", query: phoneLookupSchema, status: 200 },
  },
  "/api/admin/users/{id}/erase": {
    post: {
      summary: "Erase a member's personal data (orders, ledger and statements kept)",
      status: 200,
      errors: ["forbidden", "not_found", "conflict"],
    },
  },
  "/api/admin/users/{id}": { get: { summary: "A member's profile (personal data masked by staff role)", status: 200 } },
  "/api/admin/users/{id}/role": { post: { summary: "Change a member's role", body: roleSchema, status: 200 } },
  "/api/admin/users/{id}/staff-role": {
    post: { summary: "Change a manager's staff role", body: staffRoleSchema, status: 200 },
  },
  "/api/admin/users/{id}/upline": {
    post: { summary: "Move a member under another upline", body: z.object({ uplineId: z.string() }), status: 200 },
  },
  "/api/admin/audit": {
    get: {
      summary: "The audit log",
      query: z.object({ actor: z.string().optional(), action: z.string().optional() }),
      status: 200,
    },
  },
};

const errorSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string" },
        message: { type: "string" },
        fields: { type: "object", additionalProperties: { type: "string" } },
      },
    },
  },
};

const STATUS: Record<string, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  out_of_stock: 409,
  invalid_transition: 409,
  compliance_violation: 422,
  amount_mismatch: 422,
  unprocessable: 422,
  rate_limited: 429,
};

function jsonSchema(schema: z.ZodType) {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
}

/** The OpenAPI 3.1 document of the API, generated from the request schemas. */
export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, ops] of Object.entries(ROUTES)) {
    paths[path] = {};
    for (const [method, op] of Object.entries(ops)) {
      const parameters: unknown[] = [];
      if (path.includes("{id}")) parameters.push(id);
      if (path.includes("{code}")) parameters.push(code);
      for (const h of op.headers ?? []) {
        parameters.push({ name: h, in: "header", required: true, schema: { type: "string" } });
      }
      if (op.query) {
        const shape = jsonSchema(op.query) as { properties?: Record<string, unknown>; required?: string[] };
        for (const [name, schema] of Object.entries(shape.properties ?? {})) {
          parameters.push({ name, in: "query", required: shape.required?.includes(name) ?? false, schema });
        }
      }
      const errors = new Set(["invalid_input", ...(op.errors ?? [])]);
      const responses: Record<string, unknown> = { [String(op.status)]: { description: "Success" } };
      for (const code of errors) {
        const status = String(STATUS[code]);
        responses[status] = {
          description: [...errors].filter((e) => String(STATUS[e]) === status).join(", "),
          content: { "application/json": { schema: errorSchema } },
        };
      }
      paths[path][method] = {
        summary: op.summary,
        parameters,
        ...(op.body
          ? {
            requestBody: { required: true, content: { "application/json": { schema: jsonSchema(op.body ?? empty) } } },
          }
          : {}),
        responses,
      };
    }
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "ShareMall API",
      version: "1.0.0",
      description: "Shop and three-tier distribution. Money is a decimal string with 2 places.",
    },
    paths,
  };
}
