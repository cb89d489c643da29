// The wire shapes of both hubs (SignalR JSON, camelCase) and the console's REST answers, for the widget and the
// console alike. The source is src/LiveChat.Contracts: widget/wire/ type-checks a JSON sample of every push and
// every hub result the server writes (tests/LiveChat.Server.Tests/WireSampleTests.cs) against these types, so a
// field missing, extra or of another type here fails the suite. Types only: nothing here reaches a bundle
// (Limit is a const enum, inlined).

// ---- closed sets (C#: static classes with an All list; wire values are these strings) ----

/** "invitation": the invitation the visitor accepted, as the conversation's first message. */
export type Sender = "visitor" | "agent" | "system" | "invitation";
export type ConversationStatus = "queued" | "active" | "closed";
export type Status = "online" | "away" | "offline";
export type Severity = "info" | "warning" | "outage";
export type Offer = "chat" | "callback" | "phone";
/** What a visitor is offered when no person can answer soon. */
export type Alternative = "message" | "callback" | "phone";
/** Availability codes (Contracts/SiteStatus.cs): a free seat, everyone busy, nobody online, outside hours. */
export type Availability = "available" | "busy" | "offline" | "closed";
/** Why a chat ended (Contracts/ReasonCodes.cs, CloseReasons). */
export type CloseReason = "ended by visitor" | "closed by agent" | "visitor left" | "transferred" | "deleted";
export type RequestKind = "callback" | "message" | "missed-chat";
export type RequestStatus = "received" | "scheduled" | "in-progress" | "done";
export type MailStatus = "queued" | "sent" | "failed";
export type MailPurpose = "confirmation" | "team" | "reply" | "transcript";
export type ContactKind = "chat" | "callback" | "message" | "phone";
export type Channel = "chatFromInvitation" | "chatStartedByVisitor" | "callback" | "message" | "phone";
export type VisitorFilter = "online" | "cart" | "situation" | "returning";
export type VisitorSort = "needs-help" | "time-on-page" | "cart-value";
/**
 * A refused hub call's code (Contracts/ReasonCodes.cs): a hub error's message is "code: text", and the UIs decide
 * on the code, never on the text (see ./refusal.ts).
 */
export type ReasonCode =
  | "invalid" | "not-found" | "forbidden" | "conversation-ended" | "not-assigned" | "limit-reached"
  | "rate-limited" | "session-ended" | "retry" | "no-visitor" | "refused";

// ---- shared by both hubs ----

export interface ChatMessage {
  conversationId: string; messageId: string; sequence: number; from: Sender;
  text: string; sentAt: string; clientMessageId?: string | null; senderName?: string | null;
  /** System messages: what happened, rendered in the reader's language (shared/system-text.ts); `text` is its English. */
  code?: string | null; params?: Record<string, string> | null;
}

export interface RatingView { score: number; comment?: string | null; at: string }

export interface ConversationView {
  conversationId: string; siteId: string; visitorId: string; status: ConversationStatus;
  agentId?: string | null; agentName?: string | null; ruleId?: string | null; situation?: string | null;
  startedAt: string; endedAt?: string | null; messages: ChatMessage[]; rating?: RatingView | null;
}

export interface TypingView { conversationId: string; from: Sender; isTyping: boolean }
export interface MessageAck { messageId: string; sequence: number }

// ---- visitor hub (/hubs/visitor?site=SITE) ----

export interface PageInfo { url: string; title?: string; referrer?: string }

export interface InvitationView {
  invitationId: string; ruleId: string; situation?: string | null; text: string; agentName?: string | null; offers: Offer[];
}

/** In HelloResult, and pushed as SiteStatus whenever availability changes. */
export interface SiteInfo {
  phoneNumber?: string | null; agentsAvailable: boolean; withinBusinessHours: boolean;
  emailEnabled?: boolean; callbackSlots?: boolean; availability?: Availability | null;
  /** The site's default language (LiveChat:Sites:{id}:Language) and its ISO 4217 currency, for money. */
  language?: string | null; currency?: string | null;
}

export interface NoticeView {
  noticeId: string; text: string; severity: Severity; link?: string | null; pageMatches?: string | null; expiresAt?: string | null;
  /** The text per language when the site wrote it so ({ nl: "…", en: "…" }); `text` is then the site default's. */
  texts?: Record<string, string> | null;
}
export interface NoticeClearedView { noticeId: string }

export interface HelloResult {
  visitorId: string; token: string; conversation?: ConversationView | null; invitation?: InvitationView | null;
  site: SiteInfo; notices: NoticeView[];
}

export interface StartChatResult { conversationId: string; queuePosition?: number | null; estimatedWaitSeconds?: number | null; alternatives?: Alternative[] | null }
export interface QueueView { conversationId: string; position: number; estimatedWaitSeconds?: number | null; alternatives?: Alternative[] | null }
export interface AgentJoinedView { conversationId: string; name: string }
export interface ChatEndedView { conversationId: string; reason: CloseReason }
export interface ReferenceResult { reference: string }
export interface CallbackSlot { at: string; free: number }
export interface CallbackSlotsResult { timeZone: string; slotMinutes: number; slots: CallbackSlot[] }
export interface RequestStatusView { reference: string; kind: RequestKind; status: RequestStatus; at?: string | null; lastUpdate: string }

/** What the visitor hub pushes: method name → payload (C#: IVisitorClient). */
export interface VisitorPushes {
  Invitation: InvitationView; Queue: QueueView; AgentJoined: AgentJoinedView; Message: ChatMessage; Typing: TypingView;
  ChatEnded: ChatEndedView; Notice: NoticeView; NoticeCleared: NoticeClearedView; SiteStatus: SiteInfo;
}

/** What each visitor hub method answers (C#: VisitorHub); void: nothing. */
export interface VisitorResults {
  Hello: HelloResult; PageView: void; Visibility: void; Track: void; AcceptInvitation: void; DismissInvitation: void;
  StartChat: StartChatResult; SendMessage: MessageAck; Typing: void; GetMessages: ChatMessage[];
  RequestCallback: ReferenceResult; LeaveMessage: ReferenceResult; GetCallbackSlots: CallbackSlotsResult;
  GetRequestStatus: RequestStatusView; GetMyRequests: RequestStatusView[]; EndChat: void; RequestTranscript: void;
  Rate: void; ReportContact: void;
}

/** Limits shared with the server (Contracts/Limits.cs), so the widget refuses what the hub would. */
export const enum Limit {
  MessageText = 2000,
  Url = 2048,
  Title = 300,
  EventName = 64,
  EventProperties = 20,
  PropertyValue = 256,
}

// ---- agent hub (/hubs/agent) ----

export interface AgentInfo { agentId: string; name: string; status: Status; capacity: number; openChats: number }

export interface ConversationRatedView { conversationId: string; rating: RatingView }
/** A contact within 7 days before this one, by this visitor or by someone with the same phone/e-mail (`via`). */
export interface ContactView {
  kind: ContactKind; at: string; visitorId: string; conversationId?: string | null;
  reference?: string | null; situation?: string | null; via?: "visitor" | "phone" | "email" | null;
}

export interface QueueEntry {
  siteId: string; conversationId: string; visitorId: string; ruleId?: string | null; situation?: string | null; queuedAt: string; firstMessage?: string | null;
  /** Set while the visitor is off the site: nobody is handed the chat; it becomes a missed chat in Requests. */
  visitorLeftAt?: string | null;
}

/** Pushed to the agent of a chat when its visitor leaves the site or comes back. */
export interface ChatVisitorView { conversationId: string; present: boolean }

export interface VisitorSummary {
  siteId: string; visitorId: string; currentUrl?: string | null; pageTitle?: string | null; pageEnteredAt?: string | null;
  pagesThisVisit: number; cartValue: number; cartItems: number; returning: boolean; visits: number; online: boolean;
  lastRuleId?: string | null; lastSituation?: string | null; conversationId?: string | null; lastSeenAt: string;
  /** The visitor's languages, best first, the site's default last: site-written text per language is picked by them. */
  languages?: string[] | null;
}

export interface JourneyEntry { at: string; kind: string; detail: string }
export interface CartLine { sku: string; price: number; quantity: number }
export interface ConversationSummary { conversationId: string; status: ConversationStatus; startedAt: string; agentName?: string | null; firstMessage?: string | null; rating?: RatingView | null }

export interface ConversationDetail {
  conversation: ConversationView; visitor?: VisitorSummary | null; journey: JourneyEntry[]; cart: CartLine[]; earlier: ConversationSummary[];
  earlierContacts?: ContactView[] | null;
}

export interface CallbackView {
  reference: string; siteId: string; visitorId: string; kind: RequestKind; phone?: string | null; email?: string | null;
  name?: string | null; text?: string | null; createdAt: string; done: boolean;
  at?: string | null; status: RequestStatus; lastUpdate?: string | null; due: boolean;
  handledBy?: string | null; mails?: MailView[] | null; replies?: RequestReply[] | null;
  /** A missed chat's conversation (GetConversation gives its journey). */
  conversationId?: string | null;
  /** The language the visitor's mails are written in (e.g. "nl"): reply in it. */
  language?: string | null;
}
export interface MailView { mailId: string; purpose: MailPurpose; to: string; status: MailStatus; reason?: string | null; attempts: number; updatedAt: string }
export interface RequestReply { agentName: string; text: string; at: string; mailId: string }

/** `texts`: the text per language when configured so; `text` is then the site default's. */
export interface CannedResponse { shortcut: string; text: string; texts?: Record<string, string> | null }

export interface QueueChangedView { siteId: string; waiting: QueueEntry[] }
export interface ConversationAssignedView { conversation: ConversationView; transferNote?: string | null }
export interface ConversationClosedView { conversationId: string; reason: CloseReason }
export interface VisitorLeftView { siteId: string; visitorId: string }

// The live-visitors subscription (C#: LiveChat.Contracts/VisitorWatch.cs).
export interface WatchVisitorsRequest { filter?: VisitorFilter; sort?: VisitorSort; limit?: number }
export interface VisitorCounts { online: number; withCart: number; inSituation: number; returning: number; chatting: number; matching: number }
export interface VisitorsPage { filter: VisitorFilter; sort: VisitorSort; limit: number; visitors: VisitorSummary[]; counts: VisitorCounts }
export interface VisitorsChanged { upserts: VisitorSummary[]; removals: VisitorLeftView[]; counts: VisitorCounts; order?: string[] | null }
export interface VisitorDetail { visitor: VisitorSummary; journey: JourneyEntry[]; cart: CartLine[]; earlier: ConversationSummary[] }

/** What the agent hub pushes: method name → payload (C#: IAgentClient). */
export interface AgentPushes {
  QueueChanged: QueueChangedView; ConversationAssigned: ConversationAssignedView; Message: ChatMessage; Typing: TypingView;
  ConversationClosed: ConversationClosedView; VisitorsChanged: VisitorsChanged; CallbackRequested: CallbackView;
  ChatVisitor: ChatVisitorView; AgentsChanged: AgentInfo[]; ConversationRated: ConversationRatedView;
}

/** What each agent hub method answers (C#: AgentHub); void: nothing. */
export interface AgentResults {
  SetStatus: AgentInfo[]; WatchVisitors: VisitorsPage; GetVisitor: VisitorDetail; GetMyConversations: ConversationView[];
  GetQueue: QueueEntry[]; GetAgents: AgentInfo[]; Accept: ConversationView; SendMessage: MessageAck; Typing: void;
  Transfer: void; Close: void; Invite: boolean; GetConversation: ConversationDetail; GetCallbacks: CallbackView[];
  GetCallbacksPage: CallbackView[]; MarkCallbackDone: boolean; ReplyToRequest: CallbackView; GetCannedResponses: CannedResponse[];
  SetLanguage: string;
}

// ---- the console's REST answers ----

/** `language`: the console's language the agent chose ("en" | "nl"), kept with their status (agent hub SetLanguage). */
export interface Me { agentId: string; name: string; sites: string[]; admin: boolean; language?: string }

/** GET /api/agent/sites: what the console needs per site (its currency for money). */
export interface SiteSettings { siteId: string; currency?: string | null }

export interface Uplift { value: number; low: number; high: number }
export interface VariantStats { variant: number; text?: string | null; invited: number; shown: number; accepted: number; conversions: number }
export interface Satisfaction { responses: number; average?: number | null; satisfiedShare?: number | null }
export interface SituationStats {
  situation?: string | null; ruleId?: string | null; shown: number; accepted: number; dismissed: number;
  chatsStarted: number; medianFirstReplySeconds?: number | null; conversions: number;
  invited: number; heldOut: number; conversionsInvited: number; conversionsHeldOut: number; uplift?: Uplift | null;
  variants?: VariantStats[] | null; satisfaction?: Satisfaction | null; channels?: Partial<Record<Channel, number>> | null;
  medianResolutionSeconds?: Partial<Record<Channel, number>> | null; contacts: number; repeatContacts: number; repeatContactRate?: number | null;
}
export interface AgentSatisfaction { agentId: string; responses: number; average?: number | null; satisfiedShare?: number | null }
export interface StatsResponse { siteId: string; from: string; to: string; minimumPerGroup: number; situations: SituationStats[]; agents: AgentSatisfaction[] }

export interface NoticeStats { seen: number; contactedAfter: number }
export interface Notice {
  noticeId: string; text: string; severity: Severity; pageMatches?: string | null; link?: string | null; expiresAt?: string | null;
  createdAt: string; updatedAt: string; stats: NoticeStats;
  /** The text per language when written so ({ nl: "…", en: "…" }); `text` is then the site default's. */
  texts?: Record<string, string> | null;
}
export interface NoticeList { siteId: string; notices: Notice[] }
/** A notice with the site it belongs to, as the console keeps it. */
export interface SiteNotice extends Notice { siteId: string }
