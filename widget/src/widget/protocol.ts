// The visitor hub's wire shapes (SignalR JSON, camelCase), mirroring src/LiveChat.Contracts.
// Types only: nothing here reaches the bundle.

export interface PageInfo { url: string; title?: string; referrer?: string }

export type Offer = "chat" | "callback" | "phone";
/** "invitation": the invitation the visitor accepted, as the conversation's first message. */
export type Sender = "visitor" | "agent" | "system" | "invitation";

export interface ChatMessage {
  conversationId: string;
  messageId: string;
  sequence: number;
  from: Sender;
  text: string;
  sentAt: string;
  clientMessageId?: string | null;
  senderName?: string | null;
  /** System messages: what happened, rendered in the reader's language (shared/system-text.ts); `text` is its English. */
  code?: string | null;
  params?: Record<string, string> | null;
}

export interface ConversationView {
  conversationId: string;
  status: "queued" | "active" | "closed";
  agentName?: string | null;
  messages: ChatMessage[];
}

export interface InvitationView {
  invitationId: string;
  ruleId: string;
  situation?: string | null;
  text: string;
  agentName?: string | null;
  offers: Offer[];
}

/** Availability codes (Contracts/SiteStatus.cs): a free seat, everyone busy, nobody online, outside hours. */
export type Availability = "available" | "busy" | "offline" | "closed";
/** In HelloResult, and pushed as SiteStatus whenever availability changes. */
export interface SiteInfo { phoneNumber?: string | null; agentsAvailable: boolean; withinBusinessHours: boolean; availability?: Availability | null; emailEnabled?: boolean; callbackSlots?: boolean; language?: string | null; currency?: string | null }

export interface NoticeView {
  noticeId: string;
  text: string;
  severity: "info" | "warning" | "outage";
  link?: string | null;
  pageMatches?: string | null;
  expiresAt?: string | null;
  /** The text per language when the site wrote it so ({ nl: "…", en: "…" }); `text` is then the site default's. */
  texts?: Record<string, string> | null;
}

export interface HelloResult {
  visitorId: string;
  token: string;
  conversation?: ConversationView | null;
  invitation?: InvitationView | null;
  site: SiteInfo;
  notices: NoticeView[];
}

export interface StartChatResult { conversationId: string; queuePosition?: number | null; estimatedWaitSeconds?: number | null; alternatives?: string[] | null }
export interface MessageAck { messageId: string; sequence: number }
export interface QueueView { conversationId: string; position: number; estimatedWaitSeconds?: number | null; alternatives?: string[] | null }
export interface AgentJoinedView { conversationId: string; name: string }
export interface TypingView { conversationId: string; from: Sender; isTyping: boolean }
export interface ChatEndedView { conversationId: string; reason: string }
export interface ReferenceResult { reference: string }
export interface CallbackSlotsResult { timeZone: string; slotMinutes: number; slots: { at: string; free: number }[] }
export interface RequestStatusView { reference: string; kind: string; status: "received" | "scheduled" | "in-progress" | "done"; at?: string | null; lastUpdate: string }

/** Limits shared with the server (Contracts/Limits.cs), so the widget refuses what the hub would. */
export const enum Limit {
  MessageText = 2000,
  Url = 2048,
  Title = 300,
  EventName = 64,
  EventProperties = 20,
  PropertyValue = 256,
}
