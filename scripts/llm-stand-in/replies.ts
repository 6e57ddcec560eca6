/** What the stand-in answers with: deterministic, derived from the prompt alone. */

/** A reply batchline's schema accepts: the e-mail addresses in the prompt as entities, and its length. */
export function validReply(prompt: string, conversation: string): string {
  const emails = [...new Set(prompt.match(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g) ?? [])].slice(0, 5);
  return JSON.stringify({
    // The stand-in cannot tell the template's words from the document's: no guessing.
    document_type: 'stand_in',
    summary: `Stand-in summary of conversation ${conversation.slice(0, 8)}.`,
    entities: emails.map((value) => ({ type: 'email', value })),
    fields: { stand_in: 'true', prompt_chars: String(prompt.length) },
  });
}

/** Not JSON at all: a chatty preamble and a truncated object. */
export const BAD_JSON_REPLY = 'Sure! Here is the JSON you asked for: {"summary": "unfinished';

/** JSON that fails the reply schema (`summary` must be a string). */
export const BAD_SCHEMA_REPLY = JSON.stringify({ summary: 42, entities: 'none' });
