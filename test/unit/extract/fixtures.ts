/**
 * Realistic documents for the extract tests. Every value in them is asserted somewhere,
 * so edit a fixture and its expectations together.
 */

/** A US invoice: dollars, month-first dates, North American phones. */
export const US_INVOICE = `Northwind Traders LLC
1200 Harbor Blvd, Suite 300
Oakland, CA 94607
Phone: (510) 555-0147 | billing@northwind.example.com

INVOICE

Invoice No.: INV-2024-0042
Invoice Date: March 5, 2024
Due Date: 04/04/2024
PO Number: PO-7781

Bill To:
Jane Cooper
Brightside Dental Group
88 Elm Street
Springfield, IL 62704

Description                     Qty   Unit Price     Amount
Annual support plan               1    $2,400.00   $2,400.00
On-site training (hours)          6      $150.00     $900.00

Subtotal: $3,300.00
Sales Tax (8.25%): $272.25
Total Due: $3,572.25

Payment terms: Net 30
Questions? Call 1-800-555-0199 or visit https://northwind.example.com/billing.
`;

/** A German supplier's invoice in English: euro amounts with decimal commas, dotted dates. */
export const EU_INVOICE = `Kessler & Vogt GmbH
Friedrichstraße 118, 10117 Berlin
Tel. +49 30 2345 6789 · rechnungen@kessler-vogt.de

Rechnung / Invoice

Invoice number: 2024/117
Date: 05.03.2024
Delivery date: 28.02.2024
Customer No.: K-20931
Your order: Order #552190

Pos  Description                 Qty   Unit price     Total
1    Industrial sensor KV-40      12     89,50 €    1.074,00 €
2    Mounting kit                 12     12,00 €      144,00 €

Net amount: 1.218,00 EUR
VAT 19 %: 231,42 EUR
Total amount: 1.449,42 EUR

Payment within 14 days without deduction.
IBAN: DE89 3704 0044 0532 0130 00 · BIC: COBADEFFXXX
Questions about this invoice: 030 2345 6700
`;

/** A UK invoice: pounds, day-first written dates, +44 (0) phones. */
export const UK_INVOICE = `TAX INVOICE

Harwick Studio Ltd
14 Cavendish Row, Manchester M1 4EQ
+44 (0)161 496 0753 | accounts@harwickstudio.co.uk

Invoice #: 10423
Issue date: 5th March 2024
Payment due: 4 April 2024
Client: Marlow & Finch Architects
Purchase Order: 4500012345

Brand identity refresh            £3,200.00
Website design (8 pages)          £1,800.00

Subtotal: £5,000.00
VAT (20%): £1,000.00
Amount Due: £6,000.00

Please pay by bank transfer to sort code 20-00-00, account 55779911.
Late payments are charged at 2.5% per month.
`;

/** A customer complaint about a late order, by e-mail. */
export const SUPPORT_EMAIL_ORDER = `From: Priya Raman <priya.raman@gmail.com>
To: support@shopwell.example.com
Subject: Order #784512 still not delivered
Date: Tue, 12 Mar 2024 09:14:05 +0000

Hi Shopwell team,

I placed order #784512 on March 1, 2024 and paid $149.99 for express delivery, but the parcel still has not arrived. The tracking page at https://track.shopwell.example.com/784512 has shown "in transit" for six days.

Could you please look into this and either resend the order or refund the express shipping fee of $24.99? You can reach me on +1 (646) 555-0178 during the day.

Thanks,
Priya Raman
`;

/** A support agent's reply in a ticketing system. */
export const SUPPORT_EMAIL_LOGIN = `From: Tom Becker <tom.becker@helpdesk.cloudnote.io>
To: Alvaro Ruiz <a.ruiz@ruiz-partners.co.uk>
Subject: Re: [Ticket: SUP-881] Cannot log in after password reset
Date: 2024-03-07

Hello Alvaro,

Thanks for the screenshots. The login error you see ("Invalid session token") happens when the old session cookie is still stored after a password reset. Clearing the browser cookies for cloudnote.io fixes the problem in most cases.

If the issue persists, please reply to this ticket with your browser version and we will escalate it to our engineering team. Our UK support line is open on 0161 496 0000 from 9:00 to 18:00.

Best regards,
Tom Becker
CloudNote Support
`;

/** A billing dispute that quotes an invoice. */
export const SUPPORT_EMAIL_BILLING = `From: accounts@brightside-dental.example.com
To: billing@northwind.example.com
Subject: Duplicate charge on invoice INV-2024-0042

Dear Northwind billing team,

We were charged twice for invoice INV-2024-0042: once on 03/08/2024 and again on 03/11/2024, each time $3,572.25. Please refund the duplicate payment to the card ending 4242.

Our support case reference is Case #00981. The second charge represents 100% of the invoice amount, so this is not a partial payment.

Kind regards,
Marcus Webb
Accounts Payable, Brightside Dental Group
Tel: (217) 555-0163
`;

/** A services agreement. */
export const SERVICES_CONTRACT = `MASTER SERVICES AGREEMENT

Contract No.: MSA-2024-017

This Master Services Agreement (the "Agreement") is entered into as of April 1, 2024 (the "Effective Date") by and between Alder Analytics Inc., a Delaware corporation ("Provider"), and Crestview Logistics LLC ("Client"), together the "Parties".

1. Services. Provider shall deliver the data engineering services described in each statement of work.

2. Fees. Client shall pay Provider a monthly fee of USD 18,500 within 30 days of each invoice. Late amounts bear interest at 1.5% per month.

3. Term and Termination. The term of this Agreement begins on the Effective Date and ends on March 31, 2026. Either party may terminate this Agreement for convenience on 60 days' written notice.

4. Governing Law. This Agreement is governed by the laws of the State of New York.

Notices to Provider: legal@alder-analytics.example.com

IN WITNESS WHEREOF, the Parties have executed this Agreement as of the Effective Date.
`;

/** A mutual non-disclosure agreement between a UK and a French company. */
export const NDA_CONTRACT = `MUTUAL NON-DISCLOSURE AGREEMENT

This Agreement is made on 15 January 2024 between Fenwick Robotics Ltd, whose registered office is at 3 Quay Street, Bristol ("Fenwick"), and Lumière Systèmes SAS, 27 rue de la Paix, 75002 Paris ("Lumière").

WHEREAS the parties wish to explore a joint development of warehouse robots and will need to exchange Confidential Information for that purpose.

1. Each party shall keep the other party's Confidential Information secret and use it only for the purpose above.

2. This Agreement remains in force for a term of 3 years from the date above. The obligations of confidentiality survive termination for 5 years.

3. A party that breaches this Agreement shall pay liquidated damages of EUR 250.000,00 without prejudice to any other remedy.

4. This Agreement is governed by the laws of England and Wales.

Contact for notices: legal@fenwick-robotics.co.uk / +33 1 42 68 53 00
`;
