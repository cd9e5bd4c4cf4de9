// The entry of dist/mailer.cjs (see emailer.ts): nodemailer, bundled apart from the CLI.
export { createTransport } from "nodemailer";
