// The `emailer` release hook: after a release, a message to the configured recipients over SMTP, with
// Rez's settings (smtp_host, smtp_port, sender, recipients, subject, body) and its recipients file rules.
// As in Rez, a failed delivery is reported and never fails the release that already happened.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import type { PackageDefinition, PackageValue } from "../package/index.js";
import { formatHookArgument, hookScope, registerReleaseHook } from "./hooks.js";
import type { HookInput, Scope } from "./hooks.js";
import type { PluginSettings } from "./vcs.js";

declare const __PKG_MAILER_BUNDLE__: string | undefined;

/**
 * nodemailer, loaded when a mail is sent: it is large and pulls in node's net, tls, dns and http, so the CLI
 * keeps it in a bundle of its own (dist/mailer.cjs) that no other command reads.
 */
async function loadMailer(): Promise<typeof import("nodemailer")> {
  return typeof __PKG_MAILER_BUNDLE__ === "string" ? (require(join(__dirname, __PKG_MAILER_BUNDLE__)) as typeof import("nodemailer")) : await import("nodemailer");
}

const DEFAULT_BODY = [
  "Package '{package.qualified_name}' was released by {system.user}@{system.fqdn}.",
  "",
  "USER: {system.user}",
  "PACKAGE: {package.qualified_name}",
  "RELEASED TO: {release.path}",
  "PREVIOUS VERSION: {release.previous_version}",
  "REZ VERSION: {system.rez_version}",
  "",
  "{variants.count} VARIANTS:",
  "{variants.paths}",
  "",
  "MESSAGE:",
  "{release.message}",
  "",
  "CHANGELOG:",
  "{release.changelog}",
].join("\n");

export const EMAILER_DEFAULTS: PluginSettings = {
  smtp_host: "",
  smtp_port: 25,
  sender: "{system.user}@rez-release.com",
  recipients: [],
  subject: "[rez] [release] {system.user} released {package.qualified_name}",
  body: DEFAULT_BODY,
};

/** The subject and body Rez's emailer writes for a release: formatted, stripped, triple blank lines made double. */
export function releaseEmail(input: HookInput, settings: PluginSettings): { readonly subject: string; readonly body: string; readonly sender: string } {
  const scope: Scope = {
    ...hookScope(input),
    release: {
      path: input.installPath,
      previous_version: input.previousVersion ?? "None.",
      message: input.releaseMessage || "No release message.",
      changelog: input.changelog || "No changelog.",
    },
    variants: { count: input.variants.length, paths: input.variants.join("\n") },
  };
  const format = (value: PackageValue | undefined, fallback: string): string => formatHookArgument(typeof value === "string" ? value : fallback, scope, false);
  const body = format(settings.body, DEFAULT_BODY).trim().replaceAll("\n\n\n", "\n\n");
  return { subject: format(settings.subject, String(EMAILER_DEFAULTS.subject)), body, sender: format(settings.sender, String(EMAILER_DEFAULTS.sender)) };
}

/** Whether a rule's filters match the package: a null value asks only that the attribute exists; a list, one of its values. */
function ruleMatches(filters: unknown, pkg: PackageDefinition): boolean {
  if (filters === null || filters === undefined) return true;
  if (typeof filters !== "object" || Array.isArray(filters)) throw new Error("'filters' must be a mapping");
  const attributes: { readonly [key: string]: unknown } = { ...pkg.attributes, name: pkg.name, version: pkg.version };
  for (const [attribute, wanted] of Object.entries(filters as Record<string, unknown>)) {
    if (!Object.hasOwn(attributes, attribute)) return false;
    const value = attributes[attribute];
    if (wanted === null) continue;
    if (Array.isArray(wanted) ? !wanted.includes(value) : value !== wanted) return false;
  }
  return true;
}

/** Recipients from a rules file (Rez's emailer-recipients YAML): every matching rule's recipients, sorted, once each. */
export function recipientsFromRules(text: string, pkg: PackageDefinition): string[] {
  const config = (parseYaml(text) ?? {}) as { readonly rules?: unknown };
  const rules = config.rules ?? [];
  if (!Array.isArray(rules)) throw new Error("'rules' must be a list");
  const found = new Set<string>();
  for (const rule of rules as { readonly filters?: unknown; readonly recipients?: unknown }[]) {
    if (!ruleMatches(rule.filters, pkg)) continue;
    if (!Array.isArray(rule.recipients)) throw new Error("a rule's 'recipients' must be a list");
    for (const r of rule.recipients) found.add(String(r));
  }
  return [...found].sort();
}

function recipientsOf(input: HookInput, value: PackageValue | undefined): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== "string" || value === "") return [];
  if (existsSync(value)) {
    try {
      return recipientsFromRules(readFileSync(value, "utf8"), input.package);
    } catch (error) {
      input.reporter.warn(`failed to load recipients config ${value}: ${(error as Error).message}. Emails not sent`);
      return [];
    }
  }
  if (value.includes("@")) return [value];
  input.reporter.warn(`email recipient file does not exist: ${value}. Emails not sent`);
  return [];
}

registerReleaseHook({
  name: "emailer",
  description: "Sends an email about the release to the configured recipients (SMTP)",
  defaults: EMAILER_DEFAULTS,
  async postRelease(input, settings) {
    if (input.variants.length === 0) return; // nothing was released
    const configured = settings.recipients;
    if (configured === undefined || configured === null || configured === "" || (Array.isArray(configured) && configured.length === 0)) return;
    const host = typeof settings.smtp_host === "string" ? settings.smtp_host : "";
    if (host === "") {
      input.reporter.warn("did not send release email: SMTP host is not specified (plugins.release_hook.emailer.smtp_host)");
      return;
    }
    const recipients = recipientsOf(input, configured);
    if (recipients.length === 0) return;
    const { subject, body, sender } = releaseEmail(input, settings);
    input.reporter.info(`Sending release email to:\n${recipients.map((r) => `- ${r}`).join("\n")}`);
    // Plain SMTP as Rez's smtplib.SMTP: no STARTTLS upgrade, no login.
    const { createTransport } = await loadMailer();
    const transport = createTransport({ host, port: Number(settings.smtp_port ?? 25), secure: false, ignoreTLS: true, connectionTimeout: 10_000, socketTimeout: 20_000 });
    try {
      await transport.sendMail({ from: sender, to: recipients.join(","), subject, text: body });
      input.reporter.info("Email(s) sent.");
    } catch (error) {
      input.reporter.warn(`release email delivery failed: ${(error as Error).message}`);
    } finally {
      transport.close();
    }
  },
});
