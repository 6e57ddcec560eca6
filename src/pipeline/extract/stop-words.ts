/**
 * Words that say nothing about what a document is about: English function words, the
 * greetings and sign-offs of letters, and calendar words and currency codes (dates and
 * amounts are extracted on their own). Kept as one list so keywords and summaries agree on what is content.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all also am an and any are aren't as at be because been
before being below between both but by can can't cannot could couldn't did didn't do does
doesn't doing don't down during each either else etc even ever every few for from further
get gets got had hadn't has hasn't have haven't having he he'd he'll he's her here here's
hers herself him himself his how how's however i i'd i'll i'm i've if in into is isn't it
it's its itself just let let's like may me might more most much must mustn't my myself
need no nor not now of off on once one only or other ought our ours ourselves out over own
per please same shall shan't she she'd she'll she's should shouldn't since so some still
such than that that's the their theirs them themselves then there there's these they
they'd they'll they're they've this those though through thus to too under until up upon
us use used using very via was wasn't we we'd we'll we're we've well were weren't what
what's when when's where where's whether which while who who's whom whose why why's will
with within without won't would wouldn't yes yet you you'd you'll you're you've your
yours yourself yourselves
dear hi hello hey regards kind best thanks thank cheers sincerely yours re fw fwd
attached attachment find let know see hope soon
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
monday tuesday wednesday thursday friday saturday sunday
am pm st nd rd th
usd eur gbp chf jpy cad aud`
    .split(/\s+/)
    .filter((word) => word !== ''),
);
