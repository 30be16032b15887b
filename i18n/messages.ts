/**
 * The message catalogue: every text a person sees, in zh-CN (the default) and English, composed from the
 * feature catalogues beside this file (`i18n/<feature>.ts`). Keys are checked by the type checker:
 * `t("cart.title")`, `t("product.lowStock", { n: 3 })` (a message's `{name}` placeholders are its
 * parameters), `t(\`rank.${rank}\`)` for a typed enumeration, `t.label("status", order.status)`.
 *
 * Errors and stored texts (notifications, timeline notes) carry a `Msg` (a key and its parameters), never
 * English sentences; they are rendered in the reader's language where they are shown.
 */
import type { Locale } from "../fresh.config.ts";
import type { Placeholders } from "./define.ts";
import account from "./account.ts";
import analytics from "./analytics.ts";
import auth from "./auth.ts";
import cart from "./cart.ts";
import catalogue from "./catalogue.ts";
import common from "./common.ts";
import distributor from "./distributor.ts";
import earnings from "./earnings.ts";
import errors from "./errors.ts";
import home from "./home.ts";
import lists from "./lists.ts";
import notifications from "./notifications.ts";
import operations from "./operations.ts";
import orders from "./orders.ts";
import plan from "./plan.ts";
import promote from "./promote.ts";
import settlement from "./settlement.ts";
import shop from "./shop.ts";

/** The feature catalogues, by name (a key belongs to exactly one of them; a test checks it). */
export const FEATURES = {
  account,
  analytics,
  auth,
  cart,
  catalogue,
  common,
  distributor,
  earnings,
  errors,
  home,
  lists,
  notifications,
  operations,
  orders,
  plan,
  promote,
  settlement,
  shop,
} as const;

/** Every zh-CN text by key, with its literal type. */
export type Zh =
  & typeof account.zh
  & typeof analytics.zh
  & typeof auth.zh
  & typeof cart.zh
  & typeof catalogue.zh
  & typeof common.zh
  & typeof distributor.zh
  & typeof earnings.zh
  & typeof errors.zh
  & typeof home.zh
  & typeof lists.zh
  & typeof notifications.zh
  & typeof operations.zh
  & typeof orders.zh
  & typeof plan.zh
  & typeof promote.zh
  & typeof settlement.zh
  & typeof shop.zh;

/** Every English text by key, with its literal type. */
export type En =
  & typeof account.en
  & typeof analytics.en
  & typeof auth.en
  & typeof cart.en
  & typeof catalogue.en
  & typeof common.en
  & typeof distributor.en
  & typeof earnings.en
  & typeof errors.en
  & typeof home.en
  & typeof lists.en
  & typeof notifications.en
  & typeof operations.en
  & typeof orders.en
  & typeof plan.en
  & typeof promote.en
  & typeof settlement.en
  & typeof shop.en;

/** A message key. */
export type MessageKey = keyof Zh & string;

const zh = Object.assign({}, ...Object.values(FEATURES).map((f) => f.zh)) as Record<MessageKey, string>;
const en = Object.assign({}, ...Object.values(FEATURES).map((f) => f.en)) as Record<MessageKey, string>;

/** The catalogues by locale. */
export const CATALOGUES: Readonly<Record<Locale, Readonly<Record<MessageKey, string>>>> = { "zh-CN": zh, en };

/**
 * A value for a message's parameter: text, a number, another message rendered in the same language, or a
 * list of messages (joined with the locale's list separator).
 */
export type ParamValue = string | number | Msg | readonly Msg[];

/** A message to render later in the reader's language: its key and parameters. */
export interface Msg {
  readonly key: MessageKey;
  readonly params?: Readonly<Record<string, ParamValue>>;
}

/** The names of a key's parameters: the `{name}` placeholders of its texts (in either language). */
export type ParamNames<K extends MessageKey> = Placeholders<Zh[K]> | Placeholders<En[K]>;

/** The parameters of a key, named by its texts' `{name}` placeholders. */
export type ParamsOf<K extends MessageKey> = { readonly [P in ParamNames<K>]: ParamValue };

/** The parameter argument of a key: required when its text has placeholders, absent otherwise. */
export type ParamArgs<K extends MessageKey> = [ParamNames<K>] extends [never] ? [params?: Record<string, never>]
  : [params: ParamsOf<K>];

/** The keys whose texts have no placeholders (menu entries, headings). */
export type PlainKey = { [K in MessageKey]: [ParamNames<K>] extends [never] ? K : never }[MessageKey];

/** The keys below `prefix.` (without the prefix): `LabelValue<"rank">` is `"none" | "silver" | …`. */
export type LabelValue<P extends string, K extends string = MessageKey> = K extends `${P}.${infer V}` ? V : never;

/** A message (key and parameters), to throw in an error or to store. */
export function msg<K extends MessageKey>(key: K, ...[params]: ParamArgs<K>): Msg {
  return params && Object.keys(params).length ? { key, params: params as Msg["params"] } : { key };
}

/** The message that labels one value of an enumeration: `labelFor("status", order.status)` is `status.paid`. */
export function labelFor<P extends string>(prefix: P, value: LabelValue<P>): Msg {
  return { key: `${prefix}.${value}` as MessageKey };
}

/** Whether a text is a key of the catalogue (for keys read back from storage). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(zh, key);
}

/** A translation function for one locale, with helpers for messages and enumerated labels. */
export interface Translator {
  /** The text of a key, its `{name}` placeholders filled from `params`. */
  <K extends MessageKey>(key: K, ...params: ParamArgs<K>): string;
  /** Renders a message (an error's, a stored text's). */
  msg(message: Msg): string;
  /** The label of one value of an enumeration: `t.label("rank", "gold")`. */
  label<P extends string>(prefix: P, value: LabelValue<P>): string;
  /** A text with its `{name}` placeholders left in, for an island that fills them in the browser. */
  raw(key: MessageKey): string;
  /** The locale this translator renders. */
  readonly locale: Locale;
}

const LIST_SEPARATOR: Record<Locale, string> = { "zh-CN": "；", en: "; " };

function renderParam(locale: Locale, value: ParamValue): string {
  if (Array.isArray(value)) return value.map((m: Msg) => render(locale, m)).join(LIST_SEPARATOR[locale]);
  return typeof value === "object" ? render(locale, value as Msg) : String(value);
}

/** Renders a message in a locale (nested messages in parameters too); an unknown key shows as itself. */
export function render(locale: Locale, message: Msg): string {
  let text: string = CATALOGUES[locale][message.key] ?? message.key;
  for (const [name, value] of Object.entries(message.params ?? {})) {
    text = text.replaceAll(`{${name}}`, renderParam(locale, value));
  }
  return text;
}

const translators = new Map<Locale, Translator>();

/** Returns the translator for a locale. */
export function translator(locale: Locale): Translator {
  let t = translators.get(locale);
  if (!t) {
    const fn = (key: MessageKey, params?: Record<string, ParamValue>) => render(locale, { key, params });
    t = Object.assign(fn as Translator, {
      msg: (message: Msg) => render(locale, message),
      label: (prefix: string, value: string) => render(locale, { key: `${prefix}.${value}` as MessageKey }),
      raw: (key: MessageKey) => CATALOGUES[locale][key] ?? key,
      locale,
    });
    translators.set(locale, t);
  }
  return t;
}

const STORED_PREFIX = "@msg:";

/** Encodes a message as text: for a database column (`storedMessage`) or a zod message (`says`). */
export function encodeMsg(message: Msg): string {
  return `${STORED_PREFIX}${JSON.stringify({ key: message.key, params: message.params ?? {} })}`;
}

/** The message encoded in a text by `encodeMsg`, or undefined when the text is not one. */
export function decodeMsg(text: string | null | undefined): Msg | undefined {
  if (!text?.startsWith(STORED_PREFIX)) return undefined;
  try {
    const { key, params } = JSON.parse(text.slice(STORED_PREFIX.length)) as { key: unknown; params?: unknown };
    if (typeof key !== "string" || !isMessageKey(key)) return undefined;
    return isParams(params) && Object.keys(params).length ? { key, params } : { key };
  } catch {
    return undefined;
  }
}

function isParams(value: unknown): value is Record<string, ParamValue> {
  if (!value || typeof value !== "object") return false;
  const isMsg = (v: unknown) => !!v && typeof v === "object" && typeof (v as Msg).key === "string";
  return Object.values(value).every((v) =>
    typeof v === "string" || typeof v === "number" || isMsg(v) || (Array.isArray(v) && v.every(isMsg))
  );
}

/**
 * A message to store (an order's timeline note, a notification) as its catalogue key and parameters, so
 * that each reader sees it in their own language (`renderStored`).
 */
export function storedMessage<K extends MessageKey>(key: K, ...params: ParamArgs<K>): string {
  return encodeMsg(msg(key, ...params));
}

/**
 * A zod issue's message as a catalogue key: `z.string().min(1, says("validation.nameRequired"))`. The
 * issue is rendered in the reader's language by `lib/validate.ts`.
 */
export function says<K extends MessageKey>(key: K, ...params: ParamArgs<K>): string {
  return encodeMsg(msg(key, ...params));
}

/**
 * A stored text in the reader's language: a `storedMessage` is rendered from the catalogue; any other text
 * (written by a person, or stored before messages were) is shown as it was written.
 */
export function renderStored(locale: Locale, stored: string | null | undefined): string {
  if (!stored) return "";
  const message = decodeMsg(stored);
  return message ? render(locale, message) : stored;
}

/** A stored text rendered in every locale (for live events, which readers of any language receive). */
export function renderStoredAll(stored: string): Record<Locale, string> {
  return { "zh-CN": renderStored("zh-CN", stored), en: renderStored("en", stored) };
}

/** Picks the locale from the `lang` cookie, then Accept-Language, then the default (zh-CN). */
export function pickLocale(cookie: string | undefined, acceptLanguage: string | null | undefined): Locale {
  if (cookie === "en" || cookie === "zh-CN") return cookie;
  const first = (acceptLanguage ?? "").split(",").map((p) => p.trim().toLowerCase());
  for (const lang of first) {
    if (lang.startsWith("zh")) return "zh-CN";
    if (lang.startsWith("en")) return "en";
  }
  return "zh-CN";
}
