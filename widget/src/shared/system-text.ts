// System messages travel as a code with parameters (C#: LiveChat.Contracts/SystemText.cs); the widget renders them in the
// visitor's language, the console in the agent's. One table for both, so the two always say the same thing.

export type SystemCode = "agent.joined" | "agent.transferred" | "agent.disconnected" | "chat.resumed" | "chat.ended";

export const SYSTEM_TEXT: Record<string, Record<SystemCode, string>> = {
  en: {
    "agent.joined": "{agent} joined the chat.",
    "agent.transferred": "{agent} took over the chat.",
    "agent.disconnected": "{agent} was disconnected. You keep your place: the next free agent will continue this chat.",
    "chat.resumed": "Welcome back: your chat is waiting for the next free agent.",
    "chat.ended": "The chat has ended.",
  },
  nl: {
    "agent.joined": "{agent} neemt deel aan de chat.",
    "agent.transferred": "{agent} heeft de chat overgenomen.",
    "agent.disconnected": "De verbinding met {agent} is verbroken. Je houdt je plek: de eerstvolgende vrije medewerker zet deze chat voort.",
    "chat.resumed": "Welkom terug: je chat wacht op de eerstvolgende vrije medewerker.",
    "chat.ended": "De chat is beëindigd.",
  },
  de: {
    "agent.joined": "{agent} ist dem Chat beigetreten.",
    "agent.transferred": "{agent} hat den Chat übernommen.",
    "agent.disconnected": "Die Verbindung zu {agent} wurde getrennt. Sie behalten Ihren Platz: Der nächste freie Mitarbeiter führt diesen Chat fort.",
    "chat.resumed": "Willkommen zurück: Ihr Chat wartet auf den nächsten freien Mitarbeiter.",
    "chat.ended": "Der Chat wurde beendet.",
  },
  fr: {
    "agent.joined": "{agent} a rejoint le chat.",
    "agent.transferred": "{agent} a pris le relais.",
    "agent.disconnected": "{agent} a été déconnecté. Vous gardez votre place : le prochain conseiller disponible poursuivra ce chat.",
    "chat.resumed": "Bon retour : votre chat attend le prochain conseiller disponible.",
    "chat.ended": "Le chat est terminé.",
  },
};

/** Fills `{name}` placeholders; a missing parameter leaves nothing behind. */
export const fill = (template: string, params?: Record<string, string | number> | null) =>
  template.replace(/\{(\w+)\}/g, (_, k) => String(params?.[k] ?? ""));

/**
 * A message's words in `lang` (a BCP 47 tag; its primary language is used): the code's text when known, else the
 * message's own text (a code newer than this script, or a message from before codes existed).
 */
export function systemText(m: { code?: string | null; params?: Record<string, string> | null; text: string }, lang: string): string {
  const table = SYSTEM_TEXT[lang.toLowerCase().split("-")[0]] ?? SYSTEM_TEXT.en;
  const template = m.code ? table[m.code as SystemCode] : undefined;
  return template ? fill(template, m.params) : m.text;
}
