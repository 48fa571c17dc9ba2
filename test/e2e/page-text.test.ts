/**
 * What a message's text becomes (src/client/message-text.ts), in Node: which URLs become links,
 * and with which target, including hostile ones; and what counts as mentioning the reader.
 */
import { describe, expect, it } from "vitest";
import { linkSegments, mentions } from "../../src/client/message-text";

const links = (text: string) => linkSegments(text).filter((s) => s.href !== undefined);

describe("links in messages", () => {
  it("turns http and https URLs into links and keeps every character of the text", () => {
    const text = "docs at https://example.com/a?b=1#c and http://example.org too";
    expect(linkSegments(text)).toEqual([
      { text: "docs at " },
      { text: "https://example.com/a?b=1#c", href: "https://example.com/a?b=1#c" },
      { text: " and " },
      { text: "http://example.org", href: "http://example.org/" },
      { text: " too" },
    ]);
    expect(
      linkSegments(text)
        .map((s) => s.text)
        .join(""),
    ).toBe(text);
  });

  it("leaves every other scheme as text", () => {
    for (const text of [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(document.cookie)",
      "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
      "vbscript:msgbox(1)",
      "file:///etc/passwd",
      "ftp://example.com/file",
      "mailto:someone@example.com",
      "//example.com/protocol-relative",
      "www.example.com",
    ]) {
      expect(links(text), text).toEqual([]);
    }
  });

  it("does not let a scheme hide behind another", () => {
    expect(links("java\tscript:alert(1) https:javascript:alert(1) http:/x.y")).toEqual([]);
    // A userinfo that reads like a scheme is only a user name: the link goes to x.example over https.
    expect(links("https://javascript:alert(1)@x.example/")).toEqual([
      { text: "https://javascript:alert(1)@x.example/", href: "https://javascript:alert(1)@x.example/" },
    ]);
  });

  it("ends a URL at a quote or an angle bracket, so no attribute or tag can follow it", () => {
    expect(links(`https://x.example"onmouseover="alert(1)`)).toEqual([{ text: "https://x.example", href: "https://x.example/" }]);
    expect(links("https://x.example/<script>alert(1)</script>")).toEqual([{ text: "https://x.example/", href: "https://x.example/" }]);
  });

  it("ends a URL at invisible format characters that could make it lie about its target", () => {
    // U+202E turns the rest of the line around: "https://x.example/\u202Egnp.exe" reads as ".../exe.png".
    expect(links("https://x.example/\u202Egnp.exe")).toEqual([{ text: "https://x.example/", href: "https://x.example/" }]);
    expect(links("https://good.example\u200B.evil.example")).toEqual([{ text: "https://good.example", href: "https://good.example/" }]);
  });

  it("links a look-alike host to its real (punycode) address", () => {
    // The first letter is Cyrillic: the link shows what was typed but goes where the browser would.
    expect(links("https://\u0430pple.com/login")).toEqual([{ text: "https://\u0430pple.com/login", href: "https://xn--pple-43d.com/login" }]);
  });

  it("leaves full-width look-alikes of a scheme as text", () => {
    expect(links("\uff48\uff54\uff54\uff50\uff53\uff1a\uff0f\uff0fexample.com")).toEqual([]);
  });

  it("leaves sentence punctuation and unopened brackets outside the link", () => {
    expect(links("see https://example.com/x.").map((s) => s.text)).toEqual(["https://example.com/x"]);
    expect(links("(see https://example.com/x)").map((s) => s.text)).toEqual(["https://example.com/x"]);
    expect(links("https://en.wikipedia.org/wiki/Rust_(programming_language)!").map((s) => s.text)).toEqual([
      "https://en.wikipedia.org/wiki/Rust_(programming_language)",
    ]);
  });

  it("ends a URL at Chinese punctuation but keeps Chinese letters in its path", () => {
    expect(links("看这个https://example.com/页面，很好。").map((s) => s.text)).toEqual(["https://example.com/页面"]);
    expect(links("链接：https://example.com。")[0]?.href).toBe("https://example.com/");
  });

  it("leaves a scheme with no host as text", () => {
    expect(links("just http:// and https://")).toEqual([]);
  });
});

describe("mentions", () => {
  it("finds @name in any case", () => {
    expect(mentions("hi @alice, look", "Alice")).toBe(true);
    expect(mentions("@ALICE", "Alice")).toBe(true);
  });

  it("needs the whole name, not a longer one or an address", () => {
    expect(mentions("hi @Alicia", "Alice")).toBe(false);
    expect(mentions("hi @Alice_2", "Alice")).toBe(false);
    expect(mentions("mail bob@alice.example", "alice")).toBe(false);
    expect(mentions("hi Alice", "Alice")).toBe(false);
  });

  it("takes names with spaces, symbols and CJK characters literally", () => {
    expect(mentions("thanks @Maya Chen!", "Maya Chen")).toBe(true);
    expect(mentions("@a.b", "a+b")).toBe(false);
    expect(mentions("ping @(x)", "(x)")).toBe(true);
    expect(mentions("@小明 你好", "小明")).toBe(true);
    expect(mentions("@小明白了", "小明")).toBe(false);
  });
});

describe("mentions in scripts written without spaces", () => {
  const present = ["小明", "小明白", "Alice", "李雷"];

  it("counts @ followed by a present member's name, whatever text follows it", () => {
    expect(mentions("@小明你好", "小明", present)).toBe(true);
    expect(mentions("你好@小明，在吗？", "小明", present)).toBe(true);
    expect(mentions("@李雷@小明吃饭了吗", "小明", present)).toBe(true);
  });

  it("takes the longest present name, so a longer member's mention is not the reader's", () => {
    expect(mentions("@小明白天来吗", "小明", present)).toBe(false);
    expect(mentions("@小明白天来吗", "小明白", present)).toBe(true);
    expect(mentions("@小明白天来吗", "小明", ["小明"])).toBe(true);
  });

  it("finds mixed-script mentions and still needs a whole name in spaced scripts", () => {
    expect(mentions("@Alice你好", "Alice", present)).toBe(true);
    expect(mentions("谢谢@alice!", "Alice", present)).toBe(true);
    expect(mentions("@小明ok吗", "小明", present)).toBe(true);
    expect(mentions("hi @Alicia", "Alice", present)).toBe(false);
    expect(mentions("mail bob@alice.example", "Alice", present)).toBe(false);
    expect(mentions("@李雷你好", "小明", present)).toBe(false);
  });
});
