import { describe, expect, it } from "vitest";
import type { PackageDefinition } from "../package/index.js";
import { silentReporter } from "../report/index.js";
import { EMAILER_DEFAULTS, recipientsFromRules, releaseEmail } from "./emailer.js";
import type { HookInput } from "./hooks.js";

const pkg = (attributes: PackageDefinition["attributes"] = {}): PackageDefinition => ({ name: "foo", version: "1.2", format: "rez", file: "/r/foo/1.2/package.py", attributes });

const input = (over: Partial<HookInput> = {}): HookInput => ({
  package: pkg({ authors: ["ann"] }),
  installPath: "/rel",
  variants: ["/rel/foo/1.2/a", "/rel/foo/1.2/b"],
  releaseMessage: "",
  changelog: "",
  previousVersion: null,
  previousRevision: null,
  user: "ann",
  reporter: silentReporter,
  ...over,
});

describe("the emailer hook", () => {
  it("writes Rez's default subject and body, with Rez's words for what is missing", () => {
    const { subject, body, sender } = releaseEmail(input(), EMAILER_DEFAULTS);
    expect(subject).toBe("[rez] [release] ann released foo-1.2");
    expect(sender).toBe("ann@rez-release.com");
    expect(body.split("\n").slice(2)).toEqual([
      "USER: ann",
      "PACKAGE: foo-1.2",
      "RELEASED TO: /rel",
      "PREVIOUS VERSION: None.",
      expect.stringMatching(/^REZ VERSION: \d+\.\d+\.\d+$/),
      "",
      "2 VARIANTS:",
      "/rel/foo/1.2/a",
      "/rel/foo/1.2/b",
      "",
      "MESSAGE:",
      "No release message.",
      "",
      "CHANGELOG:",
      "No changelog.",
    ]);
    expect(body.split("\n")[0]).toMatch(/^Package 'foo-1\.2' was released by ann@\S+\.$/);
  });

  it.each([
    ["{package.name} {release.previous_version}", { previousVersion: "1.1" }, "foo 1.1"],
    ["\n\n{release.message}\n\n\n{release.changelog}\n", { releaseMessage: "m", changelog: "c" }, "m\n\nc"],
    ["{package.authors} {unknown.field}", {}, '["ann"] {unknown.field}'],
  ] as const)("formats a body %j", (template, over, expected) => {
    expect(releaseEmail(input(over), { ...EMAILER_DEFAULTS, body: template }).body).toBe(expected);
  });

  const RULES = `
rules:
  - filters: {name: foo}
    recipients: [foo-team@studio.com, lead@studio.com]
  - filters: {name: [bar, baz]}
    recipients: [bar-team@studio.com]
  - filters: {authors: null}
    recipients: [authored@studio.com]
  - recipients: [everyone@studio.com, lead@studio.com]
`;
  it.each([
    [pkg(), ["everyone@studio.com", "foo-team@studio.com", "lead@studio.com"]],
    [pkg({ authors: ["x"] }), ["authored@studio.com", "everyone@studio.com", "foo-team@studio.com", "lead@studio.com"]],
    [{ ...pkg(), name: "baz" }, ["bar-team@studio.com", "everyone@studio.com", "lead@studio.com"]],
  ])("picks the recipients of every matching rule (%#)", (definition, expected) => {
    expect(recipientsFromRules(RULES, definition)).toEqual(expected);
  });

  it.each([["rules: {a: 1}\n"], ["rules:\n  - filters: [name]\n    recipients: [a@b]\n"], ["rules:\n  - recipients: a@b\n"]])("refuses a malformed rules file %j", (text) => {
    expect(() => recipientsFromRules(text, pkg())).toThrow();
  });
});
