//! Word lists for the demo dataset.

pub const FIRST: &[&str] = &[
    "Alice", "Bruno", "Chen", "Dana", "Elif", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kemi",
    "Liam", "Maya", "Nikos", "Olga", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Victor",
    "Wen", "Yara",
];
pub const LAST: &[&str] = &[
    "Anders", "Becker", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito",
    "Jensen", "Kowalski", "Larsen", "Moreau", "Novak", "Okafor", "Petrov", "Rossi", "Silva",
    "Tanaka", "Weber",
];
pub const PROBLEMS: &[(&str, &str)] = &[
    (
        "Cannot log in after password reset",
        "I reset my password this morning but the login page keeps saying my credentials are invalid.",
    ),
    (
        "Invoice shows the wrong amount",
        "Our latest invoice charges us for 40 seats but we only have 25 active users.",
    ),
    (
        "Export to CSV times out",
        "When I export the monthly report to CSV the page spins for minutes and then shows an error.",
    ),
    (
        "Printer integration stopped working",
        "Since yesterday's update the label printer integration no longer prints shipping labels.",
    ),
    (
        "Need to change the account owner",
        "Our previous admin left the company. How do we transfer ownership of the account?",
    ),
    (
        "API returns 500 on bulk import",
        "Bulk importing contacts through the API fails with a 500 error for files over 2 MB.",
    ),
    (
        "Mobile app crashes on startup",
        "The iOS app crashes immediately after the splash screen on iPhone 15 devices.",
    ),
    (
        "Refund request for duplicate charge",
        "We were charged twice for the annual plan. Please refund the duplicate payment.",
    ),
    (
        "SSO login loops back to the sign-in page",
        "After authenticating with our identity provider we are redirected back to sign-in.",
    ),
    (
        "Feature request: dark mode",
        "Several of our agents would love a dark mode for late shifts.",
    ),
    (
        "Webhook deliveries are delayed",
        "Webhook events arrive 20 to 30 minutes late since Monday.",
    ),
    (
        "Data missing from dashboard",
        "The revenue widget on the dashboard shows no data for last week.",
    ),
    (
        "Two-factor codes not arriving",
        "SMS codes for two-factor authentication are not delivered to our phones.",
    ),
    (
        "Cannot upload attachments larger than 5 MB",
        "Uploading a PDF of 6 MB fails silently in the web app.",
    ),
    (
        "Shipping address not saved",
        "The checkout form forgets the shipping address every time.",
    ),
    (
        "Question about GDPR data export",
        "How can a customer request an export of all personal data we hold?",
    ),
];
pub const REPLIES: &[&str] = &[
    "Thanks for reaching out! We are looking into this now.",
    "Could you send us a screenshot of the error and the time it happened?",
    "I have escalated this to our engineering team.",
    "This should be fixed now, could you try again and confirm?",
    "Here is a screenshot of what I see on my side.",
    "It works again, thank you for the quick help!",
];
pub const INTERNAL: &[&str] = &[
    "Internal: reproduced on staging, linked to incident INC-204.",
    "Internal: customer is on the enterprise plan, prioritise.",
    "Internal: waiting for billing team to confirm the refund.",
];
pub const TAGS: &[&str] = &[
    "billing",
    "login",
    "bug",
    "feature_request",
    "mobile",
    "api",
    "vip",
    "refund",
    "sso",
    "export",
];
