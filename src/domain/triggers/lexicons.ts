/**
 * The default phrases and lexicons of the content triggers (English, with Australian, British and US
 * usage). A trigger named in the policy without its own `phrases` uses these; the policy's phrases
 * extend them, or replace them with `replaceDefaults: true`.
 *
 * Every phrase is a case-insensitive regular expression matched with word boundaries on normalised
 * text (see `normaliseForMatching`: apostrophes are plain `'`, whitespace is single spaces), and is
 * skipped when negated ("no need for a manager"). Words with other everyday senses are either only
 * matched in phrases ("legal action", not "legal") or carry a `SenseRule` ("fire up the app").
 */
import type { SenseRule } from './phrases.js';

// --- manager_request ---------------------------------------------------------------------------

/** Whom a customer asks for when they want someone above the agent. */
const SENIOR =
  "(?:(?:a|an|the|your|ur|you'?re|yr|ya|some) )?(?:manager|managers|manger|manageer|supervisor|supervisior|superviser|superior|boss|team ?lead(?:er)?|(?:general|line|store|shop|branch|duty|floor|operations|customer service|support|regional|area|practice|office) manager|senior (?:person|staff member|member of staff|agent|rep|representative)|head of (?:support|customer (?:service|support|care)|department)|(?:one of )?(?:the|your) (?:higher[- ]ups?|management)|management|higher[- ]ups?)|someone (?:more )?senior|somebody (?:more )?senior|(?:someone|somebody|anyone|anybody) (?:higher up|higher-up|in charge|with (?:more )?authority|above you|(?:in|from) management)|(?:the )?person in charge|(?:a|your) manager or (?:a |your )?supervisor";

export const MANAGER_REQUEST_PHRASES: readonly string[] = [
  // "can I speak to your manager", "I want to talk with a supervisor", "put me through to someone senior"
  `(?:speak|speek|speaking|talk|talking|chat|chatting) (?:to|with) ${wrap(SENIOR)}`,
  // "Speak. To. A. Manager."
  'speak\\W{1,3}to\\W{1,3}(?:a|your|the)\\W{1,3}manager',
  `(?:escalate|escalated|escalating|transfer|transferred|transferring|pass|passed|put|refer|referred|flag|flagged|raise|raised) (?:this|it|me|my (?:case|ticket|issue|complaint|call))? ?(?:through |over |up )?(?:to|with) ${wrap(SENIOR)}`,
  `(?:put|get) (?:me|us) in touch with ${wrap(SENIOR)}`,
  `(?:loop|bring|pull|get|cc|copy) in ${wrap(SENIOR)}`,
  `(?:get|bring|have|pull|loop) ${wrap(SENIOR)} (?:on|in|into|involved|here|in here|on here|on the (?:phone|line|call|thread))`,
  `(?:get|have|ask|tell) ${wrap(SENIOR)} to (?:call|contact|ring|phone|email|e-mail|review|look|check|approve|sign|authori[sz]e|get back|reach out)`,
  `(?:a |an )?(?:call|meeting|chat|word|conversation|catch-?up) with ${wrap(SENIOR)}`,
  "(?:is there|isn'?t there|there must be) (?:a|an|any|another|some) (?:manager|supervisor|team ?lead(?:er)?|boss|(?:one|someone|anyone|somebody|anybody) (?:senior|more senior|higher up|in charge))",
  "(?:a|your|the) (?:manager|supervisor|boss|team ?lead(?:er)?)'?s (?:sign-?off|approval|authori[sz]ation|contact|contact details|details|number|phone number|email|e-mail|name)",
  '(?:speak|talk|go|escalate|get) (?:to |with )?(?:someone |somebody |anyone )?above you',
  '(?:someone|somebody|anyone|anybody) (?:more senior|senior|higher up|higher-up|in charge|in management|from management)',
  '(?:need|want|get) (?:a|an|your|the|some) [\\w -]{1,40}? or (?:a|your|the) (?:manager|supervisor|team ?lead(?:er)?)',
  `(?:get|fetch|bring|find|give) me ${wrap(SENIOR)}`,
  `(?:want|need|demand|demanding|request|requesting|ask for|asking for|insist on|like|deserve) ${wrap(SENIOR)}`,
  `(?:want|need|demand|like|insist|request|ask) (?:to (?:speak|talk|chat) (?:to|with)|to be (?:put through|transferred|escalated) to) ${wrap(SENIOR)}`,
  `(?:have|let|get) ${wrap(SENIOR)} (?:call|contact|email|e-mail|ring|phone|reach out to|get back to) (?:me|us)`,
  `(?:who is|who's|whos) (?:your|the) (?:manager|supervisor|boss|superior)`,
  '(?:manager|supervisor),? please',
  'escalate (?:this|it|my (?:case|ticket|complaint)) (?:to|up) (?:the )?(?:next level|management|senior management)',
];

/** Parenthesise an alternation so it composes. */
function wrap(alternatives: string): string {
  return `(?:${alternatives})`;
}

/**
 * "manager" in other senses: a compound noun ("account manager", "package manager"), a product or
 * feature ("the manager app", "Manager settings"), or the customer describing themselves.
 */
export const MANAGER_SENSES: SenseRule[] = [
  {
    word: /\b(?:managers?|supervisors?|boss)\b/gi,
    dropBefore:
      /\b(?:account|accounts|package|packages|password|passwords|file|files|download|downloads|project|projects|product|property|task|tasks|device|window|windows|plugin|plug-in|extension|version|node|disk|partition|display|session|boot|network|connection|credential|secret|secrets|key|keys|certificate|ads|ad|business|campaign|event|events|office|community|success|relationship|portfolio|programme|program|release|engineering|fleet|asset|inventory|identity|content|tag|queue|resource|policy|stage|config|configuration|sdk|deployment|cluster|hr|payroll|finance|facilities|partner|territory|hiring|sales|marketing|social media|window|tab|profile|desktop|connection|printer|print|role|team|workspace)\s+$/i,
    dropAfter:
      /^(?:'s)?\s*(?:app|apps|application|tool|tools|software|console|portal|plugin|api|role|roles|account|accounts|dashboard|settings|setting|permission|permissions|mode|module|page|screen|view|tab|menu|panel|feature|license|licence|seat|seats|login|user|users|access|level|version|process|service|extension|program|window|interface|ui)\b/i,
  },
  {
    // Someone in the customer's own organisation: "the manager of our store", "someone senior in our team".
    word: /\b(?:managers?|supervisors?|boss|team ?lead(?:er)?|management|senior|in charge|higher[- ]up)\b/gi,
    dropAfter:
      /^\s*(?:of|at|from|in|on) (?:our|my|their|his|her|the (?:company|office|team|store|client))\b/i,
  },
  {
    // The customer describing themselves or a third party: "I'm the manager here", "as a manager".
    word: /\b(?:managers?|supervisors?)\b/gi,
    dropBefore:
      /\b(?:i'?m|i am|we'?re|we are|as|was|became|being|(?:he|she|they) (?:is|was|are))\s+(?:an?|the|their|our|his|her)\s+(?:\S+\s+)?$/i,
  },
];

// --- legal -------------------------------------------------------------------------------------

export const LEGAL_PHRASES: readonly string[] = [
  // Legal action and the people who take it
  'lawsuits?',
  'law ?suits?',
  'class actions?',
  'litigation',
  'litigate',
  'sue',
  'suing',
  'sued',
  '(?:my|our|a|the|their) (?:lawyers?|solicitors?|attorneys?|barristers?|legal (?:team|counsel|department|representative|rep|advisor|adviser))',
  'lawyers?',
  'solicitors?',
  'attorneys?',
  'barristers?',
  'legal (?:action|actions|proceedings?|advice|counsel|claim|claims|dispute|notice|representation|recourse|letter|threat|obligations?|requirements?|rights|liability)',
  'legally (?:required|obliged|obligated|entitled|responsible|liable|binding)',
  'take (?:you|this|it|them|the matter|this matter|your company) to (?:court|the (?:ombudsman|tribunal|regulator))',
  '(?:in|to|see you in) court',
  'court (?:case|action|order|proceedings|claim)',
  'small claims',
  'tribunals?',
  'NCAT|VCAT|QCAT|SACAT|ACAT',
  'cease and desist',
  'subpoena',
  'letter of demand',
  'breach of (?:contract|warranty|privacy|confidentiality|duty)',
  'breach(?:ed|es|ing)? (?:the|our|your|my|its) (?:data processing agreement|dpa|contract|agreement|privacy policy|terms)',
  'data processing agreement',
  'liable',
  'liability',
  'negligence',
  'negligent',
  'compensation claim',
  'illegal',
  'illegally',
  'unlawful',
  'unlawfully',
  'fraud',
  'fraudulent',
  '(?:my|our|consumer|statutory|legal) rights',
  '(?:Australian )?Consumer Law',
  'consumer (?:protection|guarantees?|affairs)',
  'trading standards',
  'Consumer Rights Act',
  'Better Business Bureau',
  'attorney general',
  'report (?:you|this|it|them|your company) to the (?:relevant )?authorities',
  '(?:call|called|calling|contact|contacted|contacting|involve|involving|get|getting|got) (?:the )?police',
  'police (?:report|complaint|matter)',
  'report(?:ed|ing)? (?:it|this|you|them) to (?:the )?police',
  'Fair Work (?:Commission|Ombudsman|Australia)',
  // Regulators and ombudsmen (AU, UK, US, EU)
  'ombudsman',
  'ombudsmen',
  'ACCC',
  'OAIC',
  'ASIC',
  'ACMA',
  'AFCA',
  'TIO',
  'fair trading',
  'ICO',
  'Information Commissioner',
  'privacy commissioner',
  'FCA',
  'Ofcom',
  'Ofgem',
  'Ofwat',
  'CMA',
  'FTC',
  'CFPB',
  'FCC',
  'data protection (?:authority|commissioner|regulator|officer)',
  'regulators?',
  // Privacy and compliance
  'GDPR',
  'UK GDPR',
  'CCPA',
  'CPRA',
  'HIPAA',
  'PCI(?:[- ]DSS)?',
  'Privacy Act',
  'Data Protection Act',
  'Spam Act',
  '(?:privacy|data|security) breach(?:es)?',
  'breach(?:ed)? (?:my|our) (?:privacy|data)',
  'privacy (?:violation|complaint|concern|issue)s?',
  'violat(?:e|es|ed|ing|ion of) (?:my |our |the )?(?:privacy|law|laws|regulations?|gdpr|rights)',
  'data leak(?:s|ed)?',
  'leaked (?:my|our) (?:data|details|information|personal)',
  '(?:my|our) (?:data|details|personal information|information) (?:was|were|has been|have been|got) (?:leaked|exposed|stolen|shared|sold)',
  'identity theft',
  'unauthori[sz]ed (?:access|disclosure|use of (?:my|our) (?:data|information|details)|sharing)',
  '(?:notifiable|reportable) (?:data )?(?:breach|breaches|incident|incidents)',
  'breach notification',
  'DPO',
  'data protection officer',
  'compliance (?:officer|team|department)',
  'stolen identity',
  'subject access request',
  'DSAR',
  'right to (?:be forgotten|erasure)',
  'compliance (?:breach|violation|issue|failure|risk)',
  'non-?complian(?:t|ce)',
  'not compliant',
  // Safety
  'injury',
  'injuries',
  'injured',
  'injure',
  'injuring',
  '(?:got|get|been|was|were|is|are|am|being) (?:badly |seriously |really )?hurt',
  'hurt (?:myself|himself|herself|themselves|my (?:hand|arm|leg|back|child|son|daughter|kid)|someone|somebody|people|a child|kids?)',
  'fire',
  'fire (?:hazard|risk|danger)',
  'fires',
  'bushfire',
  'wildfire',
  'caught fire',
  'caught alight',
  'on fire',
  'flames?',
  'smoke',
  'smoking',
  'burn',
  'burns',
  'burnt',
  'burned',
  'burning',
  'scorch(?:ed|ing)',
  'melt(?:ed|ing)',
  'overheat(?:s|ed|ing)?',
  'explod(?:e|ed|es|ing)',
  'explosion',
  'sparks',
  'sparking',
  'electric(?:al)? shocks?',
  'electrocut(?:e|ed|ion)',
  'shocked (?:me|him|her|my)',
  'unsafe',
  'hazard',
  'hazards',
  'hazardous',
  'dangerous',
  'safety (?:issue|concern|risk|hazard|problem|defect|recall|standard|standards)',
  'health and safety',
  'life[- ]safety',
  'safety[- ]critical',
  'choking (?:hazard|risk)',
  '(?:child|baby|kid|son|daughter|toddler) (?:choked|was choking|started choking)',
  'toxic',
  'poison(?:ed|ing|ous)?',
  'allergic reaction',
  'hospital',
  'hospitalised',
  'hospitalized',
  'ambulance',
  'emergency (?:room|department)',
  'A&E',
  'recall',
  'recalled',
  'recalls',
  // Discrimination and harassment
  'discriminat(?:e|ed|es|ing|ion|ory)',
  'harass(?:ed|es|ing|ment)?',
  'racist',
  'racism',
  'sexist',
  'sexism',
  'homophobic',
  'transphobic',
  'hate speech',
  'abusive',
  'bullied',
  'bullying',
  'sexual(?:ly)? (?:harassment|harassed|assault|misconduct)',
  'accessibility (?:complaint|law|requirements)',
  'Disability Discrimination Act',
  'Equality Act',
  'ADA (?:compliance|complaint|violation)',
];

/** Words of the legal lexicon that also have an everyday sense. */
export const LEGAL_SENSES: SenseRule[] = [
  {
    // fire: "fire up the app", "fire off an email", "webhook fires", "Fire TV", "you're fired".
    word: /\bfires?\b/gi,
    keepBefore:
      /\b(?:caught|catch|catching|on|small|electrical|house|kitchen|started a|start a|bush|grass|forest|there'?s|there is|there was|risk of|danger of|cause a|caused a|causing a)\s+$/i,
    keepAfter:
      /^\s*(?:hazard|hazards|risk|brigade|department|service|services|fighters?|truck|engine|damage|damaged|started|broke out|extinguisher|safety|danger|exit|in (?:the|my|our))\b/i,
    dropBefore:
      /\b(?:kindle|amazon|webhooks?|events?|hooks?|triggers?|alerts?|callbacks?|jobs?|crons?|rules?|scripts?|it|that|this|which|handlers?|listeners?|notifications?|will|won't|doesn't|didn't|to|should|never|you're|you are|cease|camp|rapid|quick|open|ready aim|get|gets|got|be|been|being|is|so|straight|pure|absolute|absolutely|lowkey|literally|kinda|proper|actually|looks|sounds)\s+$/i,
    dropAfter:
      /^\s*(?:up|off|away|and forget|back|at will|me|us|him|her|them|it|this|that|tv|stick|tablet|hd|os|phone|base|fox|ant|wall|works|work|emblem|drill|drills|warden|wardens|practice|training|sale|emoji|alarms? (?:integration|system|panel|monitoring|api|feed|software|app|sensor|device|product|customers?)|an? (?:event|webhook|request|email|e-mail|message|notification|alert|callback|query)|the (?:event|webhook|request|trigger|callback|query|email|agent|staff|employee|person)|events?|webhooks?|triggers?|requests?|alerts?|notifications?|callbacks?|queries|twice|once|correctly|properly|on (?:submit|click|load|save|change|every))\b/i,
  },
  {
    // smoke: "smoke test", "smoke and mirrors", "holy smoke".
    word: /\bsmok(?:e|ing)\b/gi,
    dropBefore: /\b(?:holy|no|quit|quitting|stopped|stop|a)\s+$/i,
    dropAfter:
      /^\s*(?:tests?|testing|testers?|suite|screen|signals?|and mirrors|break|breaks|gun|free|weed|cigarettes?|room|area)\b/i,
  },
  {
    // burn: "burn rate", "burn through credits", "burnt out", "burn a CD", "screen burn-in".
    word: /\bburn(?:s|t|ed|ing)?\b/gi,
    keepAfter:
      /^\s*(?:my|his|her|their|our|the (?:child|kid|baby|skin|house|building)|a hole|holes|marks?|myself|himself|herself|themselves|me|him|her|us|them|smell|smelling)\b/i,
    dropBefore: /\b(?:heart|calorie|fat|money|cash|sun|razor|slow|freezer)\s+$/i,
    dropAfter:
      /^\s*(?:-?\s*in|rate|rates|down|downs|chart|charts|through|thru|out|cds?|dvds?|discs?|disks?|a (?:cd|dvd|disc|disk|usb|copy)|the (?:image|iso|cd|dvd|disc|disk|usb|midnight oil|candle|bridge)|images?|isos?|calories|cash|money|budget|credits|tokens|bridges?|notice|after reading|question)\b/i,
  },
  {
    // recall: "I recall", "as I recall", "recall the conversation".
    word: /\brecall(?:s|ed)?\b/gi,
    keepBefore:
      /\b(?:product|safety|vehicle|voluntary|mandatory|official|manufacturer|a|the|this|under|been|was|were|is|are|being|got)\s+$/i,
    keepAfter:
      /^\s*(?:notice|notices|list|issued|of (?:the|this|my|our|your) (?:product|item|unit|device|model|batch))\b/i,
    dropBefore:
      /\b(?:i|you|we|they|he|she|can'?t|cannot|could|don'?t|do|to|as|if|might|may|total|perfect|memory)\s+$/i,
    dropAfter:
      /^\s*(?:that|what|how|when|where|whether|if|correctly|seeing|reading|the (?:conversation|email|message|chat|call))\b/i,
  },
  {
    // sue / sued as a name: "Sue from billing", "ask Sue".
    word: /\bsue[ds]?\b/gi,
    keepBefore:
      /\b(?:will|i'?ll|we'?ll|to|going to|gonna|could|might|would|should|can|i'?d|we'?d|ready to|planning to|plan to|intend to|threaten(?:ed|ing)? to|about to|being|been|get|got|was|were|and)\s+$/i,
    keepAfter: /^\s*(?:you|u|ya|your|them|the (?:company|business|store|shop)|you guys|for|over)\b/i,
    // Anything else ("Sue from billing said", "Hi Sue") is the name.
    dropBefore: /$/,
  },
  {
    // court: "food court", "tennis court", "courtesy" is a different word anyway.
    word: /\bcourt\b/gi,
    dropBefore: /\b(?:food|tennis|basketball|netball|squash|badminton|volleyball|front|back)\s+$/i,
  },
  {
    // police as a verb ("we police our forum") or a brand: rare in support, kept with one guard.
    word: /\bpolice\b/gi,
    dropAfter: /^\s*(?:our|their|the (?:forum|content|community))\b/i,
  },
  {
    // "ICO" also means an initial coin offering; "SAT" a test; "CMA", "FCC" and "SOX" other things.
    word: /\b(?:ico|cma|fcc|tio|fca)\b/gi,
    dropBefore: /\b(?:an?|crypto|token|coin|my|your|our|on|his|her|their|upcoming)\s+$/i,
    dropAfter: /^\s*(?:token|tokens|coin|coins|sale|score|scores|exam|test|file|files|socks?)\b/i,
  },
  {
    // "our injury claims team", "injury management software": the customer's line of business.
    word: /\binjur(?:y|ies)\b/gi,
    dropAfter:
      /^\s*(?:claims? (?:team|department|module|forms?|process|processing|software|system|workflow|handlers?)|management (?:software|system|module|team)|lawyers? (?:firm|practice)|law firm|prevention (?:program|programme|training|module))\b/i,
  },
  {
    // hospital/ambulance as a customer segment ("we are a hospital", "ambulance service billing").
    word: /\b(?:hospital|ambulance)\b/gi,
    dropAfter:
      /^\s*(?:account|accounts|customer|customers|client|clients|billing|invoice|invoices|plan|subscription|network|wifi|system|software)\b/i,
  },
  {
    // "toxic positivity" is not a hazard; "flame war" is not a fire; "melt" also means a crash.
    word: /\b(?:toxic|flames?|poisoned|poisoning)\b/gi,
    dropAfter: /^\s*(?:positivity|culture|relationship|workplace|war|wars|graph|graphs|cache|dns)\b/i,
    dropBefore: /\b(?:cache|dns|arp|data)\s+$/i,
  },
  {
    // "melted down" as an outage, "meltdown" is its own word anyway; "overheating market".
    word: /\bmelt(?:ed|ing)\b/gi,
    dropAfter: /^\s*(?:down|away)\b/i,
  },
  {
    // "regulator" in a power supply or pressure regulator context.
    word: /\bregulators?\b/gi,
    dropBefore: /\b(?:voltage|pressure|gas|power|charge|linear)\s+$/i,
  },
  {
    // "liable to crash", "tribunal" is unambiguous; "liable to" means likely.
    word: /\bliable\b/gi,
    dropAfter: /^\s*to\s+(?:crash|fail|break|happen|change|freeze|time out|be slow)\b/i,
  },
  {
    // "illegal character", "illegal argument", "illegal instruction": error messages.
    word: /\billegal(?:ly)?\b/gi,
    dropAfter:
      /^\s*(?:character|characters|argument|arguments|instruction|operation|state|value|values|access|move|input|token|offset|format|parameter|parameters|char|seek)\b/i,
  },
  {
    // "dangerous" in "dangerous setting", "dangerous command" (a UI warning), "hazard" in "moral hazard".
    word: /\bhazards?\b/gi,
    dropBefore: /\b(?:moral)\s+$/i,
  },
  {
    // "abusive" and "harass" are kept; "fraud detection"/"fraud filter" is a product feature.
    word: /\bfraud\b/gi,
    dropAfter:
      /^\s*(?:detection|filter|filters|check|checks|rules?|score|scoring|settings|tool|tools|module|prevention)\b/i,
  },
];

// --- dissatisfaction ---------------------------------------------------------------------------

export const CHURN_PHRASES: readonly string[] = [
  'cancel(?:l?ing)? (?:my|our|the|this|your|his|her) (?:account|subscription|sub|plan|membership|contract|service|services|policy|direct debit|auto-?renewal)',
  '(?:close|closing|delete|deleting|terminate|terminating|end|ending|deactivate|deactivating) (?:my|our|the) (?:account|accounts|subscription|contract|membership|service|relationship)',
  'cancel everything',
  'unsubscribe (?:me )?from (?:your|the) service',
  "(?:considering|contemplating|thinking (?:about|of)|about to|going to|planning to|plan to|ready to|will be|we'?ll be|i'?ll be|seriously) (?:cancel(?:l?ing)?|leaving|churning|switching providers|moving providers)",
  '(?:decided|deciding|going|planning|chosen|choosing|voted) not to renew',
  "(?:you'?ve|you have|you just|you've just) lost (?:a|our|my|another|a loyal|a long-?time) (?:customer|client|business|subscriber)",
  '(?:moving|migrating|switching|taking|porting|shifting) (?:everything|all (?:of )?(?:our|my) \\w+|our (?:business|account|accounts|data|team|company|workspace)|my (?:business|account|data)) (?:over )?to',
  '(?:switch|switching|switched|move|moving|moved|go|going|migrate|migrating|change|changing|jump|jumping|port|porting) (?:over |ship )?to (?:a |an |one of )?(?:competitor|competitors|your competitors?|another (?:provider|company|supplier|vendor|service|bank|carrier|platform|tool|retailer|store)|a different (?:provider|company|supplier|vendor|service|bank|carrier|platform|tool))',
  'switching to',
  '(?:take|taking) (?:my|our) (?:business|money|custom) (?:elsewhere|somewhere else)',
  '(?:go|going|shop|shopping) (?:elsewhere|somewhere else)',
  '(?:look|looking|shop|shopping) (?:at|for|around for) (?:alternatives|another (?:provider|company|supplier|vendor|service)|other (?:providers|options|vendors|companies|suppliers))',
  '(?:find|finding) (?:a |an )?(?:new|different|another|better) (?:provider|company|supplier|vendor|service|bank|platform)',
  'waste of (?:money|time|space|my money|my time|our money|our time)',
  '(?:want|demand|demanding|expect|deserve|insist on|give me) (?:a |my |our |an immediate )?(?:full |complete |immediate )?refund',
  'refund (?:my|our) money',
  '(?:my|our) money back',
  "(?:i'?m|i am|we'?re|we are) (?:so |completely |absolutely |totally |officially )?done with (?:you|you guys|your (?:company|service|app|product|business|support|nonsense)|this (?:company|service|app|product|nonsense|rubbish|crap|garbage|joke|place|business|platform))",
  'fed up',
  'sick and tired',
  'sick of',
  "(?:i'?m|we'?re|i am|we are) done (?:recommending|using|paying for|dealing with|chasing|waiting)",
  '(?:stop|quit) wasting (?:my|our) (?:time|money)',
  'wasting (?:my|our) (?:time|money)',
  'had enough of',
  'had it with',
  "(?:i'?ve|we'?ve|i have|we have) had enough",
  'last straw',
  'never (?:again|(?:be )?(?:using|use|buy|buying|order|ordering|recommend|recommending|deal|dealing|come|coming)(?: back)?(?: with| from| to)? (?:you|this|your|them|it)\\w*(?: \\w+)? again)',
  "(?:i|we|i'?ll|we'?ll|i'?m|we'?re|i am|we are) (?:won'?t|will not|wouldn'?t|would not|will never|would never|not) (?:be )?(?:recommend(?:ing)?|renew(?:ing)?|coming back|using (?:you|this|your \\w+) again|buy(?:ing)? (?:from )?(?:you|this|your \\w+) again)",
  "(?:i'?m|we'?re|i am|we are|will be) (?:leaving|quitting|ditching|dumping) (?:you|your (?:service|company|app|product|platform))",
  '(?:leave|quit|ditch|dump) (?:your (?:service|company|app|product|platform))',
  "(?:will|going to|gonna|i'?ll|we'?ll) (?:leave|post|write|give|be leaving|be posting) (?:you )?(?:a )?(?:bad|negative|terrible|1[- ]star|one[- ]star|scathing) reviews?",
  '(?:1|one)[- ]star reviews?',
  '(?:do|doing|file|filing|lodge|lodging|raise|raising|initiate|initiating|go for|going for) a charge-? ?back',
  '(?:dispute|disputing|reverse|reversing) (?:the|this|these|my) (?:charge|charges|payment|payments|transaction|transactions) with (?:my|our|the) (?:bank|card (?:company|issuer|provider)|credit card company)',
  '(?:worst|terrible|awful|appalling|horrible|shocking) (?:customer )?(?:service|support|experience|company|product|app|software|platform|vendor|provider|tool|system)',
  '(?:complete|total|utter|absolute) (?:joke|disgrace|shambles|rip-?off|scam|waste|mess|disaster|nightmare|failure)',
];

/**
 * "switching to" is churn when it names another provider, not a plan, a setting or a device:
 * "switching to the annual plan", "switching to dark mode", "switching to my other card".
 */
export const CHURN_SENSES: SenseRule[] = [
  {
    word: /\bswitching to\b/gi,
    dropAfter:
      /^\s*(?:(?:the|a|an|your|our|my|their|another|a different|a new|the new)\s+)?(?:[\w-]+\s+){0,2}?(?:plan|plans|tier|package|bundle|option|version|release|build|mode|theme|view|layout|tab|card|payment|method|address|email|e-mail|phone|number|browser|app|device|laptop|computer|pc|mac|iphone|android|ipad|os|settings?|account|profile|user|workspace|channel|server|region|network|wifi|connection|monthly|annual|yearly|weekly|quarterly|billing|invoice|invoicing|direct debit|bank transfer|paypal|sso|saml|oauth|api|sandbox|production|staging|test|manual|automatic|auto|light|dark|english|metric|imperial|gst|utc|aest|aedt)\b/i,
  },
  {
    // "I'm leaving you a voicemail" is not leaving.
    word: /\bleaving you\b/gi,
    dropAfter: /^\s*(?:a|an|the|my|some|this|these|with|to|details|feedback)\b/i,
  },
  {
    // "cancel my subscription to the newsletter" is not churn from the service.
    word: /\bcancel(?:l?ing)?\b/gi,
    dropAfter:
      /^\s*(?:my|our|the|this) (?:subscription|sub) (?:to|for) (?:the |your )?(?:newsletter|emails?|mailing list|updates|marketing|notifications?|sms|texts?)\b/i,
  },
];

/**
 * Support-domain adjustments to the AFINN-165 lexicon of the `sentiment` package. Strong complaint
 * words weigh more; the factual vocabulary of support (error, crash, problem, charged, stuck…) is
 * neutral, so a calm bug report does not read as an angry customer; legal and safety words are
 * neutral here because the legal trigger covers them.
 */
export const SENTIMENT_EXTRAS: Readonly<Record<string, number>> = {
  // Stronger or missing complaint words
  useless: -3,
  joke: -3,
  disaster: -3,
  disastrous: -3,
  unhappy: -2,
  dissatisfied: -2,
  '🤬': -4,
  '😡': -3,
  '😠': -3,
  '😤': -2,
  scam: -3,
  scammed: -3,
  scammers: -3,
  scammer: -3,
  ripoff: -3,
  'rip-off': -3,
  ripped: -2,
  rubbish: -3,
  garbage: -3,
  trash: -2,
  pathetic: -3,
  incompetent: -3,
  incompetence: -3,
  unacceptable: -3,
  appalling: -3,
  atrocious: -3,
  abysmal: -3,
  woeful: -3,
  diabolical: -3,
  dreadful: -3,
  disgraceful: -3,
  disgrace: -3,
  shambles: -3,
  shocking: -3,
  shonky: -3,
  dodgy: -2,
  unusable: -3,
  hopeless: -3,
  nightmare: -3,
  overcharged: -2,
  overcharging: -2,
  ghosted: -3,
  lying: -2,
  liars: -3,
  clowns: -2,
  amateurs: -2,
  amateurish: -2,
  cowboys: -2,
  laughable: -3,
  livid: -4,
  fuming: -3,
  furious: -4,
  outraged: -3,
  outrageous: -3,
  infuriating: -3,
  infuriated: -3,
  exasperated: -2,
  gutted: -2,
  wtf: -3,
  ffs: -3,
  // Factual support vocabulary: neutral
  support: 0,
  help: 0,
  helping: 0,
  like: 0,
  want: 0,
  please: 0,
  error: 0,
  errors: 0,
  crash: 0,
  crashed: 0,
  crashes: 0,
  problem: 0,
  problems: 0,
  issue: 0,
  issues: 0,
  broken: 0,
  block: 0,
  blocked: 0,
  cancel: 0,
  fail: 0,
  failed: 0,
  failing: 0,
  failure: 0,
  stuck: 0,
  wrong: -1,
  lost: -1,
  loss: -1,
  outage: 0,
  charged: 0,
  charges: 0,
  pay: 0,
  urgent: 0,
  no: 0,
  limited: 0,
  miss: 0,
  missing: 0,
  missed: 0,
  delay: 0,
  delayed: 0,
  warning: 0,
  alert: 0,
  attack: 0,
  emergency: 0,
  dead: 0,
  kill: 0,
  killed: 0,
  hard: 0,
  difficult: 0,
  free: 0,
  stop: 0,
  stopped: 0,
  leave: 0,
  sorry: 0,
  apologise: 0,
  apologize: 0,
  apology: 0,
  unfortunately: 0,
  bother: 0,
  honest: 0,
  honestly: 0,
  promise: 0,
  promised: 0,
  chance: 0,
  // Covered by the legal trigger (privacy and compliance)
  breach: 0,
  breaches: 0,
  breached: 0,
  violation: 0,
  violations: 0,
  violated: 0,
  leaked: 0,
  exposed: 0,
  misleading: -2,
  // Covered by the legal trigger
  fire: 0,
  shock: 0,
  hurt: 0,
  injury: 0,
  injured: 0,
  danger: 0,
  dangerous: 0,
  unsafe: 0,
  lawsuit: 0,
  sue: 0,
  illegal: 0,
  fraud: 0,
};
