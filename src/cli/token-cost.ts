import type { BatchInfo } from '../batches/index.js';
import type { Config } from '../config/index.js';

/** What a batch's LLM use cost, and about what its cache hits saved, by the configured price table. */
export interface TokenCost {
  spent: number;
  /** Saved tokens priced at the batch's own average price per token spent (input and output mixed). */
  saved: number;
  currency: string;
}

export function tokenCost(llm: BatchInfo['llm'], price: Config['llm']['price']): TokenCost | undefined {
  if (!price) return undefined;
  const spent = (llm.tokensIn * price.inputPerMillion + llm.tokensOut * price.outputPerMillion) / 1_000_000;
  const spentTokens = llm.tokensIn + llm.tokensOut;
  const perToken = spentTokens > 0 ? spent / spentTokens : price.inputPerMillion / 1_000_000;
  const round = (value: number) => Math.round(value * 10_000) / 10_000;
  return { spent: round(spent), saved: round(llm.tokensSaved * perToken), currency: price.currency };
}

export function formatCost(cost: TokenCost | undefined): string {
  return cost ? `; cost ${cost.spent.toFixed(4)} ${cost.currency}, about ${cost.saved.toFixed(4)} ${cost.currency} saved` : '';
}
