import { z } from 'zod';

/**
 * The JSON object the LLM is asked for (the prompt template describes it to the model).
 * Every key is optional, but a reply must carry at least one of them; unknown keys are
 * dropped. Scalar field values are kept as strings; `null` values are dropped.
 *
 * ```json
 * { "document_type": "invoice",
 *   "summary": "Invoice INV-1 from Acme to Globex for EUR 1,200, due 2024-05-01.",
 *   "entities": [{ "type": "organization", "value": "Acme GmbH" }],
 *   "fields": { "invoice_number": "INV-1", "due_date": "2024-05-01" } }
 * ```
 */
export const llmReplySchema = z
  .object({
    /** What kind of document this is, in a word or two (`invoice`, `support_ticket`, ...). */
    document_type: z.string().trim().min(1).max(64).optional(),
    /** One to three sentences. */
    summary: z.string().trim().min(1).max(2_000).optional(),
    /** People, organisations, places, products... named in the document. */
    entities: z
      .array(z.object({ type: z.string().trim().min(1).max(64), value: z.string().trim().min(1).max(500) }))
      .max(200)
      .optional(),
    /** Facts the deterministic extractors may have missed, by snake_case name. */
    fields: z
      .record(z.string().min(1).max(100), z.union([z.string().max(2_000), z.number(), z.boolean(), z.null()]))
      .refine((fields) => Object.keys(fields).length <= 100, 'must have at most 100 keys')
      .optional(),
  })
  .refine((reply) => Object.values(reply).some((value) => value !== undefined), {
    message: 'must have at least one of document_type, summary, entities, fields',
  });

/** The LLM's contribution to an `extract` artifact, under `llm`: every key always present. */
export interface LlmFields {
  /** The model that answered (as configured). */
  readonly model: string;
  readonly documentType: string | null;
  readonly summary: string | null;
  readonly entities: readonly { readonly type: string; readonly value: string }[];
  readonly fields: Readonly<Record<string, string>>;
}

export type ParsedReply = { ok: true; value: Omit<LlmFields, 'model'> } | { ok: false; problem: string };

/**
 * Parses and validates the content of a chat completion. Tolerates one Markdown code
 * fence around the JSON (local models often add one).
 */
export function parseReply(content: string): ParsedReply {
  const text = stripFence(content.trim());
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'the reply is not valid JSON' };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, problem: 'the reply must be one JSON object' };
  }
  const parsed = llmReplySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'the reply';
    return { ok: false, problem: `${where} ${issue?.message ?? 'is invalid'}` };
  }
  const reply = parsed.data;
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(reply.fields ?? {})) if (value !== null) fields[key] = String(value);
  return {
    ok: true,
    value: {
      documentType: reply.document_type ?? null,
      summary: reply.summary ?? null,
      entities: reply.entities ?? [],
      fields,
    },
  };
}

function stripFence(text: string): string {
  const fenced = /^```[A-Za-z]*\s*\n([\s\S]*?)\n?```$/.exec(text);
  return fenced ? (fenced[1] ?? '').trim() : text;
}
