import assert from "node:assert/strict";
import { z } from "zod";
import { keepQuery, listHref, listQuerySchema, presentQuery } from "./list_query.ts";
import { parseInput } from "./validate.ts";
import { AppError } from "./errors.ts";
import { translator } from "../i18n/messages.ts";

const schema = listQuerySchema({
  sorts: ["created", "total"],
  sort: "created",
  dir: "desc",
  filters: { status: z.enum(["paid", "shipped"]).optional() },
});
const parse = (query: Record<string, string>) => parseInput(schema, presentQuery(query));

Deno.test("listQuerySchema(): defaults, allowed values, empty values as absent, unknown parameters dropped", () => {
  assert.deepEqual(parse({}), { sort: "created", dir: "desc", page: 1 });
  assert.deepEqual(parse({ dir: "asc" }), { sort: "created", dir: "asc", page: 1 });
  assert.deepEqual(parse({ sort: "total" }), { sort: "total", dir: "asc", page: 1 }, "a named sort is ascending");
  assert.deepEqual(parse({ sort: "", dir: "", page: "", status: "" }), { sort: "created", dir: "desc", page: 1 });
  assert.deepEqual(parse({ sort: "total", dir: "asc", page: "3", status: "paid", other: "x" }), {
    sort: "total",
    dir: "asc",
    page: 3,
    status: "paid",
  });
});

Deno.test("listQuerySchema(): a bad sort, direction or page is a 400 naming the field and what is allowed", () => {
  const en = translator("en");
  const zh = translator("zh-CN");
  const refused = (query: Record<string, string>) => {
    try {
      parse(query);
    } catch (err) {
      assert.ok(err instanceof AppError);
      assert.equal(err.status, 400);
      return err;
    }
    throw new Error(`accepted ${JSON.stringify(query)}`);
  };
  const sort = refused({ sort: "total;DROP TABLE orders" });
  assert.equal(en.msg(sort.fields!.sort), "Sort by one of: created, total");
  assert.equal(zh.msg(sort.fields!.sort), "排序字段只能是：created, total");
  assert.equal(en.msg(refused({ dir: "sideways" }).fields!.dir), "Sort direction is asc or desc");
  for (const page of ["0", "-1", "1.5", "abc", "10001"]) assert.ok(refused({ page }).fields!.page, page);
  assert.ok(refused({ status: "lost" }).fields!.status);
});

Deno.test("keepQuery(): what links keep — filters and a sort other than the default, never the page", () => {
  const defaults = { sort: "created", dir: "desc" as const };
  assert.deepEqual(keepQuery({ sort: "created", dir: "desc", page: 4 }, defaults), {});
  assert.deepEqual(keepQuery({ sort: "total", dir: "desc", page: 2, status: "paid", q: "" }, defaults), {
    sort: "total",
    dir: "desc",
    status: "paid",
  });
  assert.deepEqual(keepQuery({ sort: "created", dir: "asc", page: 1 }, defaults), { sort: "created", dir: "asc" });
  assert.equal(listHref("/admin/orders", {}, 1), "/admin/orders");
  assert.equal(
    listHref("/admin/orders", { q: "张 三", sort: "total" }, 3),
    "/admin/orders?q=%E5%BC%A0+%E4%B8%89&sort=total&page=3",
  );
});
