/**
 * Error messages that workers publish in heartbeats go to pages and APIs. A client error
 * may quote a connection URL, and the password in it must not travel further: any
 * `scheme://user:password@` keeps its scheme and loses the credentials.
 */
export function scrubSecrets(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1***@');
}
