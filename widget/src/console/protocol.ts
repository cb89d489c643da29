// What the agent hub (/hubs/agent) and the console's REST endpoints send, as the browser sees it (camelCase JSON).

export type Status = "online" | "away" | "offline";

/** `language`: the console's language the agent chose ("en" | "nl"), kept with their status (agent hub SetLanguage). */
export interface Me { agentId: string; name: string; sites: string[]; admin: boolean; language?: string }

export interface AgentInfo { agentId: string; name: string; status: Status; capacity: number; openChats: number }

export interface ChatMessage {
  /** "invitation": the invitation the visitor accepted, the conversation's first message. */
  conversationId: string; messageId: string; sequence: number; from: "visitor" | "agent" | "system" | "invitation";
  text: string; sentAt: string; clientMessageId?: string | null; senderName?: string | null;
}

export interface ConversationView {
  conversationId: string; siteId: string; visitorId: string; status: "queued" | "active" | "closed";
  agentId?: string | null; agentName?: string | null; ruleId?: string | null; situation?: string | null;
  startedAt: string; endedAt?: string | null; messages: ChatMessage[]; rating?: RatingView | null;
}

export interface RatingView { score: number; comment?: string | null; at: string }
export interface ConversationRatedView { conversationId: string; rating: RatingView }
/** A contact within 7 days before this one, by this visitor or by someone with the same phone/e-mail (`via`). */
export interface ContactView {
  kind: "chat" | "callback" | "message" | "phone"; at: string; visitorId: string; conversationId?: string | null;
  reference?: string | null; situation?: string | null; via?: "visitor" | "phone" | "email" | null;
}

export interface QueueEntry {
  conversationId: string; visitorId: string; ruleId?: string | null; situation?: string | null; queuedAt: string; firstMessage?: string | null;
  /** Set while the visitor is off the site: nobody is handed the chat; it becomes a missed chat in Requests. */
  visitorLeftAt?: string | null;
}

/** Pushed to the agent of a chat when its visitor leaves the site or comes back. */
export interface ChatVisitorView { conversationId: string; present: boolean }

/** GET /api/agent/sites: what the console needs per site (its currency for money). */
export interface SiteSettings { siteId: string; currency?: string | null }

export interface VisitorSummary {
  siteId: string; visitorId: string; currentUrl?: string | null; pageTitle?: string | null; pageEnteredAt?: string | null;
  pagesThisVisit: number; cartValue: number; cartItems: number; returning: boolean; visits: number; online: boolean;
  lastRuleId?: string | null; lastSituation?: string | null; conversationId?: string | null; lastSeenAt: string;
}

export interface JourneyEntry { at: string; kind: string; detail: string }
export interface CartLine { sku: string; price: number; quantity: number }
export interface ConversationSummary { conversationId: string; status: string; startedAt: string; agentName?: string | null; firstMessage?: string | null; rating?: RatingView | null }

export interface ConversationDetail {
  conversation: ConversationView; visitor?: VisitorSummary | null; journey: JourneyEntry[]; cart: CartLine[]; earlier: ConversationSummary[];
  earlierContacts?: ContactView[] | null;
}

export interface CallbackView {
  reference: string; siteId: string; visitorId: string; kind: string; phone?: string | null; email?: string | null;
  name?: string | null; text?: string | null; createdAt: string; done: boolean;
  at?: string | null; status: "received" | "scheduled" | "in-progress" | "done"; lastUpdate?: string | null; due: boolean;
  handledBy?: string | null; mails?: MailView[] | null; replies?: RequestReply[] | null;
  /** A missed chat's conversation (GetConversation gives its journey). */
  conversationId?: string | null;
}
export interface MailView { mailId: string; purpose: string; to: string; status: "queued" | "sent" | "failed"; reason?: string | null; attempts: number; updatedAt: string }
export interface RequestReply { agentName: string; text: string; at: string; mailId: string }

export interface CannedResponse { shortcut: string; text: string }
export interface MessageAck { messageId: string; sequence: number }

export interface QueueChangedView { siteId: string; waiting: QueueEntry[] }
export interface ConversationAssignedView { conversation: ConversationView; transferNote?: string | null }
export interface TypingView { conversationId: string; from: string; isTyping: boolean }
export interface ConversationClosedView { conversationId: string; reason: string }
export interface VisitorLeftView { siteId: string; visitorId: string }

export interface Uplift { value: number; low: number; high: number }
export interface VariantStats { variant: number; text?: string | null; invited: number; shown: number; accepted: number; conversions: number }
export interface Satisfaction { responses: number; average?: number | null; satisfiedShare?: number | null }
export type Channel = "chatFromInvitation" | "chatStartedByVisitor" | "callback" | "message" | "phone";
export interface SituationStats {
  situation?: string | null; ruleId?: string | null; shown: number; accepted: number; dismissed: number;
  chatsStarted: number; medianFirstReplySeconds?: number | null; conversions: number;
  invited: number; heldOut: number; conversionsInvited: number; conversionsHeldOut: number; uplift?: Uplift | null;
  variants?: VariantStats[] | null; satisfaction?: Satisfaction | null; channels?: Partial<Record<Channel, number>> | null;
  medianResolutionSeconds?: Partial<Record<Channel, number>> | null; contacts: number; repeatContacts: number; repeatContactRate?: number | null;
}
export interface AgentSatisfaction { agentId: string; responses: number; average?: number | null; satisfiedShare?: number | null }
export interface StatsResponse { siteId: string; from: string; to: string; minimumPerGroup: number; situations: SituationStats[]; agents: AgentSatisfaction[] }

export type Severity = "info" | "warning" | "outage";
export interface NoticeStats { seen: number; contactedAfter: number }
export interface Notice {
  noticeId: string; text: string; severity: Severity; pageMatches?: string | null; link?: string | null; expiresAt?: string | null;
  createdAt: string; updatedAt: string; stats: NoticeStats;
}
export interface NoticeList { siteId: string; notices: Notice[] }
/** A notice with the site it belongs to, as the console keeps it. */
export interface SiteNotice extends Notice { siteId: string }

// The live-visitors subscription (C#: LiveChat.Contracts/VisitorWatch.cs).
export type VisitorFilter = "online" | "cart" | "situation" | "returning";
export type VisitorSort = "needs-help" | "time-on-page" | "cart-value";
export interface WatchVisitorsRequest { filter?: VisitorFilter; sort?: VisitorSort; limit?: number }
export interface VisitorCounts { online: number; withCart: number; inSituation: number; returning: number; chatting: number; matching: number }
export interface VisitorsPage { filter: VisitorFilter; sort: VisitorSort; limit: number; visitors: VisitorSummary[]; counts: VisitorCounts }
export interface VisitorsChanged { upserts: VisitorSummary[]; removals: VisitorLeftView[]; counts: VisitorCounts; order?: string[] | null }
export interface VisitorDetail { visitor: VisitorSummary; journey: JourneyEntry[]; cart: CartLine[]; earlier: ConversationSummary[] }
