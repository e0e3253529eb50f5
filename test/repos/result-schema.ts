import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { expect } from "vitest";

const validate = new Ajv({ allErrors: true, strict: true }).compile(
  JSON.parse(
    readFileSync(join(import.meta.dirname, "..", "..", "schema", "result.schema.json"), "utf8"),
  ) as object,
);

/** Asserts that `json` (culprit's --json document) is valid against schema/result.schema.json. */
export function expectValidResult(json: unknown): void {
  expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
}
