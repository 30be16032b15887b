/**
 * The building blocks of the message catalogues: a feature's messages in both locales with the same keys,
 * and the types that read a message's `{name}` parameters out of its zh-CN text.
 */

/** A feature's messages: zh-CN (the default) and English, with exactly the same keys. */
export interface FeatureMessages<Z extends Record<string, string>, E extends { readonly [K in keyof Z]: string }> {
  zh: Z;
  en: E;
}

/**
 * Declares a feature's messages. The texts keep their literal types (so that `t()` knows each key's
 * `{name}` parameters, from either language); `en` must have exactly zh's keys: a missing or an extra key is
 * a type error.
 */
export function defineMessages<
  const Z extends Record<string, string>,
  const E extends { readonly [K in keyof Z]: string },
>(
  messages: { zh: Z; en: E & { readonly [K in Exclude<keyof E, keyof Z>]: never } },
): FeatureMessages<Z, E> {
  return messages;
}

/** The names of the `{name}` placeholders in a message text. */
export type Placeholders<S> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;
