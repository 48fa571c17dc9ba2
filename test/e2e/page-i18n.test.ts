/**
 * The page's languages (src/client/i18n/) in Node: every language has every key, in the plural
 * forms its grammar needs and with the parameters the English text names; the HTML only names keys
 * that exist; a visitor gets the language they read; keys become text through Intl.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { chooseLanguage, LANGUAGES, type Language, translate } from "../../src/client/i18n/catalog";
import { en } from "../../src/client/i18n/en";
import { ERROR_CODES } from "../../src/wire/protocol";

const PUBLIC = new URL("../../public/", import.meta.url);
const others = (Object.keys(LANGUAGES) as Language[]).filter((lang) => lang !== "en");

function placeholders(entry: string | object): string[] {
  const texts = typeof entry === "string" ? [entry] : Object.values(entry);
  return [...new Set(texts.flatMap((text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)))].sort();
}

describe("language tables", () => {
  it("speaks at least English and Simplified Chinese", () => {
    expect(Object.keys(LANGUAGES)).toEqual(expect.arrayContaining(["en", "zh-CN"]));
  });

  it.each(others)("%s has exactly the keys of English", (lang) => {
    expect(Object.keys(LANGUAGES[lang]).sort()).toEqual(Object.keys(en).sort());
  });

  it.each(Object.keys(LANGUAGES) as Language[])("%s has the plural forms its language needs, and only plurals where English has them", (lang) => {
    const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
    for (const [key, entry] of Object.entries(LANGUAGES[lang])) {
      const english = en[key as keyof typeof en];
      expect(typeof entry, key).toBe(typeof english);
      if (typeof entry === "string") continue;
      expect(Object.keys(entry).sort(), key).toEqual([...categories].sort());
    }
  });

  it.each(others)("%s names the same parameters as English in every string", (lang) => {
    for (const [key, entry] of Object.entries(LANGUAGES[lang])) {
      expect(placeholders(entry), key).toEqual(placeholders(en[key as keyof typeof en]));
    }
  });

  it.each(others)("%s is translated, not a copy of English", (lang) => {
    // A few strings may rightly read the same (the product's name in a title); most may not.
    const same = Object.entries(LANGUAGES[lang]).filter(([key, entry]) => JSON.stringify(entry) === JSON.stringify(en[key as keyof typeof en]));
    expect(same.length).toBeLessThan(Object.keys(en).length / 10);
  });

  it("has a string for every error code the server sends", () => {
    for (const code of ERROR_CODES) expect(Object.keys(en)).toContain(`error.${code}`);
  });

  it("names in the HTML only keys that exist", () => {
    const pages = readdirSync(PUBLIC).filter((file) => file.endsWith(".html"));
    const named = pages.flatMap((file) => [...readFileSync(new URL(file, PUBLIC), "utf8").matchAll(/data-i18n(?:-[\w-]+)?="([^"]+)"/g)].map((m) => m[1]!));
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter((key) => !(key in en))).toEqual([]);
  });
});

describe("choosing the language", () => {
  it("follows the browser's first language that the page speaks", () => {
    expect(chooseLanguage(undefined, ["fr-FR", "zh-CN", "en-US"])).toBe("zh-CN");
    expect(chooseLanguage(undefined, ["en-GB", "zh-CN"])).toBe("en");
  });

  it("reads Simplified Chinese for zh, zh-Hans and zh-SG, but not for Traditional zh-TW or zh-HK", () => {
    for (const tag of ["zh", "zh-Hans", "zh-SG", "zh-Hans-HK"]) expect(chooseLanguage(undefined, [tag]), tag).toBe("zh-CN");
    for (const tag of ["zh-TW", "zh-HK", "zh-Hant"]) expect(chooseLanguage(undefined, [tag]), tag).toBe("en");
  });

  it("prefers the remembered switch over the browser, unless it names no language we have", () => {
    expect(chooseLanguage("zh-CN", ["en-US"])).toBe("zh-CN");
    expect(chooseLanguage("en", ["zh-CN"])).toBe("en");
    expect(chooseLanguage("klingon", ["zh-CN"])).toBe("zh-CN");
  });

  it("falls back to English for no languages, unknown ones or malformed tags", () => {
    expect(chooseLanguage(undefined, [])).toBe("en");
    expect(chooseLanguage(undefined, ["fr", "de-DE"])).toBe("en");
    expect(chooseLanguage(undefined, ["not a tag!", "zh"])).toBe("zh-CN");
  });
});

describe("turning a key into text", () => {
  it("fills parameters", () => {
    expect(translate("en", "room.title", { room: "lobby" })).toBe("lobby · Edge Chat");
    expect(translate("zh-CN", "notify.title", { name: "小明", room: "lobby" })).toBe("小明 在 lobby 中提到了你");
  });

  it("picks the plural form by count, with the language's rules", () => {
    expect(translate("en", "room.stats", { count: 1 })).toBe("1 message in the last minute");
    expect(translate("en", "room.stats", { count: 0 })).toBe("0 messages in the last minute");
    expect(translate("zh-CN", "room.stats", { count: 1 })).toBe("最近一分钟 1 条消息");
    expect(translate("zh-CN", "room.stats", { count: 7 })).toBe("最近一分钟 7 条消息");
  });

  it("formats numbers for the language", () => {
    expect(translate("en", "composer.left", { count: 1500 })).toBe("1,500 characters left");
    expect(translate("en", "room.titleUnread", { count: 3, title: "lobby · Edge Chat" })).toBe("(3) lobby · Edge Chat");
  });

  it("leaves text that looks like a parameter alone when it is a value", () => {
    expect(translate("en", "log.notSent", { reason: "{count}" })).toBe("Not sent: {count}");
  });
});
