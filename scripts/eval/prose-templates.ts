/**
 * Free-prose documents of eight domains for the semantic accuracy harness: letters, clauses,
 * notices and reviews of 120–300 words, written as people write them, not as `Label: value`
 * forms. Placeholders mark what a hard negative may change:
 *
 *   {kind:a|b|c}   one of the options; a negative of `kind` picks another
 *   {kind@pool}    a generated value (see prose-corpus.ts); a negative of `kind` changes it
 *   {=pool}        a generated value that only makes originals differ (never changed)
 *
 * Lines starting with "- " form a list (a negative removes one item); a line `Label: value`
 * is a label line. Paragraphs are separated by blank lines.
 */

export interface ProseTemplate {
  readonly domain: string;
  readonly text: string;
}

export const PROSE_TEMPLATES: readonly ProseTemplate[] = [
  {
    domain: 'medical',
    text: `Discharge letter
Patient: {name@person}
Biopsy result: {label-antonym:negative|positive}
Date of discharge: {date@date}

Dear Dr {=surname},

I am writing to let you know that your patient was discharged from the {=ward} ward on the morning of {date@date}. The biopsy taken during the stay was reported as {antonym:negative|positive} for malignant cells, and the wound is "healing well". Blood pressure stayed {antonym:below|above} the target range for the last {number-words:two|three|four|five} days of the admission.

Please continue {=drug} {unit@dose} capsules, {number-words:two|three|four} times a day with food, for the next {number-words:two|three|six} {unit:weeks|months}. The tablets {negation:can|cannot} be taken with the anticoagulant she already uses, and the dose {antonym:may be increased|should be decreased} after the review. The infusion was stopped at {percent@pct} of the planned volume.

She was advised to avoid:
- heavy lifting for a month
- driving until the follow-up visit
- alcohol while on the new medication
- long baths until the wound has closed

The referral to the {lower-name@clinic} outpatient clinic has been {affix:approved|unapproved}. {roles:The patient should contact the ward nurse|The ward nurse should contact the patient} if the fever returns.

Kind regards,
{name@person}`,
  },
  {
    domain: 'legal',
    text: `Lease agreement, clause 14: deposit and repairs

Tenant: {name@person}
Deposit status: {label-antonym:paid|unpaid}

The tenant has paid a security deposit of {currency:€|$|£}{minus@money}{scale:| thousand| million}, which is {affix:refundable|non-refundable} at the end of the tenancy on {date@date}, less any amount properly withheld under this clause. Interest on the deposit is {antonym:included|excluded} from the monthly statement.

If damage beyond normal wear is found at check-out, {roles:the tenant shall reimburse the landlord|the landlord shall reimburse the tenant} for the reasonable cost of repair within {number-words:fourteen|twenty-one|thirty} days of a written request. The landlord {negation:may|may not} enter the flat without {number-words:one|two} days of notice, except in an emergency. Rent rises by {percent@pct} each year on the anniversary of the lease, and the minimum term is {number-words:six|twelve|eighteen} {unit:months|years}.

The following are the tenant's responsibility:
- replacing light bulbs and fuses
- keeping the drains clear
- cleaning the windows inside
- reporting leaks without delay

This clause was negotiated by {lower-name@agency}, acting for the {antonym:landlord|tenant}, and {name@person} signed it on behalf of the owner. Any change to it must be made in writing.`,
  },
  {
    domain: 'banking',
    text: `Notice of account activity

Account holder: {name@person}
Transaction status: {label-antonym:authorised|declined}

We are writing about a card payment of {currency:EUR|USD|GBP} {minus@money}{scale:| thousand| million} to {lower-name@merchant} made on {date@date}. The payment was {affix:authorised|unauthorised} by the card holder and has been {antonym:debited from|credited to} your current account. Your available balance after the payment is {currency:€|$|£}{=money}.

If you don't recognise this payment, call us within {number-words:two|five|ten} business days. We {negation:will|will not} charge a fee for the investigation, and a temporary card {negation:can|cannot} be issued while it is under way. The overdraft rate on this account is {percent@pct} a year and the next statement is due on {date@date}.

To protect your account, please:
- never share your PIN or one-time codes
- check every statement line by line
- update your phone number if it changes
- report a lost card at once

{roles:The bank has asked the merchant to return the funds|The merchant has asked the bank to return the funds}. This notice was prepared by {name@person} of the fraud team and sent to you by post and e-mail.`,
  },
  {
    domain: 'hr',
    text: `Offer of employment

Candidate: {name@person}
Position: {=role}
Contract type: {label-antonym:permanent|temporary}

Dear {name@person},

Following your interviews, we're pleased to offer you the position of {=role} in our {=city} office, starting on {date@date}. The role is {antonym:full-time|part-time} and reports to {name@person}, head of {=department}. Your gross annual salary will be {currency:€|$|£}{minus@money}{scale:| thousand}, reviewed each spring, with a bonus of up to {percent@pct} of salary.

The first {number-words:three|four|six} {unit:months|weeks} are a probation period, during which either side may end the contract with {number-words:one|two} weeks of notice. The position {negation:is|is not} eligible for remote work, and relocation costs are {affix:reimbursable|non-reimbursable}. You will be expected to work a {antonym:minimum|maximum} of {number-words:thirty-five|thirty-seven|forty} hours a week.

Before your start date, please send us:
- a signed copy of this letter
- proof of your right to work
- your bank details for payroll
- the name of a referee

{roles:You will report to the team lead|The team lead will report to you} from your first day. Please confirm your acceptance through {lower-name@portal} by the end of next week.`,
  },
  {
    domain: 'shipping',
    text: `Delivery update for your order

Order: {=orderid}
Parcel status: {label-antonym:delivered|returned}

Hello {name@person},

Your parcel with {number-words:two|three|four|five} items left our {=city} warehouse on {date@date} and was handed to {lower-name@carrier} for the last mile. It's insured and weighs {unit@weight} and was shipped {antonym:before|after} the cut-off time, so the delivery estimate {negation:has|has not} changed. The shipping charge of {currency:€|$|£}{minus@money} was {antonym:included in|added to} the order total.

Our driver {negation:will|will not} leave the parcel with a neighbour if nobody is at home. {roles:The sender pays the return postage|The recipient pays the return postage} when an item is sent back within {number-words:fourteen|thirty} days, and items marked as final sale are {affix:returnable|non-returnable}. You saved {percent@pct} on this order with your member discount.

The parcel contains:
- {=product}
- a spare charging cable
- the printed user guide
- a gift receipt

If anything is missing, reply to this message and {name@person} from our delivery team will look into it.`,
  },
  {
    domain: 'support',
    text: `Re: your support request

Ticket: {=ticket}
Priority: {label-antonym:high|low}

Hi {name@person},

Thanks for getting in touch about the sync problem in {lower-name@app}. I was able to reproduce it on {date@date}: when the device is offline the queue {negation:is|is not} flushed on reconnect, and about {percent@pct} of the changes are lost. It's a {antonym:known|new} issue, and the fix is {affix:available|unavailable} in the current release.

For now, please {antonym:enable|disable} background refresh and restart the app {number-words:two|three} times after updating. Your account {negation:has|has not} been credited with {number-words:one|two|three} free {unit:months|weeks} of the premium plan for the trouble, worth {currency:€|$|£}{minus@money}. {roles:Our engineers will call your administrator|Your administrator will call our engineers} to check the server settings.

What we changed on our side:
- cleared the stuck jobs for your workspace
- raised the retry limit for uploads
- turned on extra logging for your devices
- scheduled a check for tomorrow

If the problem comes back, reply to this e-mail and mention the ticket number. Best wishes, {name@person}, support team.`,
  },
  {
    domain: 'code-review',
    text: `Review of pull request {=prnumber}: retry logic in the upload client

Author: {name@person}
Verdict: {label-antonym:approved|rejected}

Thanks for the patch. The change to the backoff looks right: the delay now {antonym:increases|decreases} with each attempt and is capped at {number-words:five|ten|thirty} {unit:seconds|minutes}. The retry loop {negation:does|does not} reset the counter after a successful call, which matches what we agreed with {name@person} last week. Coverage of the module went from {percent@pct} to a little higher.

Two things before this can be merged. First, the timeout is applied {antonym:before|after} the connection is opened, so a slow DNS lookup is {affix:counted|uncounted} against it. Second, the upload size check uses {unit:bytes|kilobytes} where the config uses megabytes; please convert once at load time. {roles:The client should retry the server|The server should retry the client} only on connection errors, never on a rejected payload.

Please also:
- add a test for the cap
- log the attempt number at debug level
- remove the unused import in the helper
- update the changelog entry

The benchmark in {lower-name@repo} shows a median of {=millis} ms per call, which is fine. I'd like this merged before {date@date}, when the release branch is cut.`,
  },
  {
    domain: 'product-review',
    text: `Review: {=product}

Rating: {label-antonym:recommended|not recommended}
Reviewer: {lower-name@handle}

I bought this on {date@date} after my old one broke, and I have used it every day for {number-words:two|three|six} {unit:weeks|months}. The battery life is {antonym:better|worse} than the box's "all-day" claim, and charging takes about {number-words:one|two|three} hours. The build quality feels {antonym:solid|flimsy}, and the buttons {negation:are|are not} easy to press with gloves on.

The price was {currency:€|$|£}{minus@money}, which I think is {affix:reasonable|unreasonable} for what you get, and there was a {percent@pct} discount for members in the first week. It weighs {unit@weight}, so it fits in a coat pocket. {roles:My partner recommended it to me|I recommended it to my partner}, and we now have two.

What I liked most:
- the bright display
- the long strap
- the quiet fan
- the clear manual

Customer service answered my question within a day, and {name@person} from the shop followed up by phone. I would {negation:buy|not buy} it again at this price.`,
  },
];
