/* wg_i18n.h - every text the widget shows, per locale.
 *
 * The view refers to texts by a stable code; a locale's table holds one
 * text per code (widget/locales/wg_i18n_tables.c: one string, the texts in
 * code order, each ended by a NUL). A widget indexes the table of its
 * locale (struct wg_texts) and looks texts up there. Natively the tables
 * are compiled in (wg_i18n_builtin); in the browser the bridge fetches the
 * page's one locale and gives it to the widget (c2c_locale), so nobody
 * downloads the other languages. Every locale is complete (the build and
 * the tests check it). Texts with a placeholder use "%s" exactly once,
 * filled by the view (an agent's name, a position). */
#ifndef WG_I18N_H
#define WG_I18N_H

#include <stddef.h>
#include <stdint.h>

enum wg_locale {
    WG_LOCALE_EN = 0,
    WG_LOCALE_ES,
    WG_LOCALE_FR,
    WG_LOCALE_DE,
    WG_LOCALE_PT,
    WG_LOCALE_JA,
    WG_LOCALE_COUNT
};

enum wg_text {
    WG_T_NONE = 0,
    /* launcher and panel */
    WG_T_LAUNCH_CALL,      /* "Call us" */
    WG_T_LAUNCH_CHAT,      /* "Chat with us" */
    WG_T_LAUNCH_VIDEO,     /* "Video chat" */
    WG_T_UNAVAILABLE,      /* "No agents available right now" */
    WG_T_CLOSE,            /* "Close" (aria-label) */
    /* status, chat */
    WG_T_CHAT_IDLE,        /* "Start a chat with us" */
    WG_T_CHAT_STARTING,    /* "Starting chat..." */
    WG_T_CHAT_WAITING,     /* "Waiting for an agent" */
    WG_T_CHAT_CONNECTED,   /* "Chatting with %s" */
    WG_T_CHAT_ENDED,       /* "Chat ended" */
    /* status, call */
    WG_T_CALL_IDLE,        /* "Call an agent from your browser" */
    WG_T_CALL_MEDIA,       /* "Waiting for the microphone..." */
    WG_T_CALL_DIALING,     /* "Calling..." */
    WG_T_CALL_QUEUED,      /* "Waiting for an agent" */
    WG_T_CALL_RINGING,     /* "Ringing..." */
    WG_T_CALL_CONNECTED,   /* "On a call with %s" */
    WG_T_CALL_ENDED,       /* "Call ended" */
    /* queue, connection */
    WG_T_QUEUE,            /* "You are number %s in line" */
    WG_T_QUEUE_WAIT,       /* "About %s min" */
    WG_T_RECONNECTING,     /* "Reconnecting..." */
    WG_T_TYPING,           /* "%s is typing..." */
    /* errors */
    WG_T_ERR_AUTH,         /* "Please sign in again" */
    WG_T_ERR_NETWORK,      /* "Network problem, please try again" */
    WG_T_ERR_SERVER,       /* "Something went wrong, please try again" */
    WG_T_ERR_REJECTED,     /* "The request was refused" */
    WG_T_ERR_ENDED,        /* "This conversation has ended" */
    WG_T_ERR_MIC_DENIED,   /* "Microphone access was denied. Allow it in your browser to call." */
    WG_T_ERR_MIC_MISSING,  /* "No microphone was found" */
    WG_T_ERR_MEDIA,        /* "The audio or video connection failed" */
    WG_T_ERR_CAMERA,       /* "The camera could not be turned on" */
    WG_T_ERR_NUMBER,       /* "Please enter a valid phone number" */
    WG_T_ERR_REFERENCE,    /* "A reference is 8 digits" */
    WG_T_ERR_REF_NOT_FOUND,/* "That reference was not found" */
    WG_T_ERR_REF_USED,     /* "That reference has already been used" */
    WG_T_ERR_REF_EXPIRED,  /* "That reference has expired" */
    WG_T_ERR_REF_EMAIL,    /* "That reference was issued to someone else" */
    WG_T_ERR_MESSAGE,      /* "Messages must be 1 to 8192 characters of text" */
    /* ended reasons */
    WG_T_REASON_NO_AGENT,  /* "No agent was available" */
    WG_T_REASON_REJECTED,  /* "The agent could not take the call" */
    WG_T_REASON_AGENT,     /* "The agent ended the conversation" */
    WG_T_REASON_YOU,       /* "You ended the conversation" */
    /* controls */
    WG_T_BTN_START,        /* "Start chat" */
    WG_T_BTN_NEW_CHAT,     /* "Start a new chat" */
    WG_T_BTN_SEND,         /* "Send" */
    WG_T_BTN_END_CHAT,     /* "End chat" */
    WG_T_BTN_CALL,         /* "Call" */
    WG_T_BTN_CALL_AGAIN,   /* "Call again" */
    WG_T_BTN_HANGUP,       /* "Hang up" */
    WG_T_BTN_MUTE,         /* "Mute" */
    WG_T_BTN_UNMUTE,       /* "Unmute" */
    WG_T_KEYPAD,           /* "Keypad" (group label) */
    WG_T_DIGITS,           /* "Digits sent: %s" */
    WG_T_NUMBER_INPUT,     /* "Phone number" (label) */
    WG_T_CHAT_INPUT,       /* "Type a message" (label) */
    WG_T_CHAT_LOG,         /* "Conversation" (label) */
    WG_T_REFERENCE_INPUT,  /* "Have a reference code?" (label) */
    WG_T_BTN_REFERENCE,    /* "Go" */
    WG_T_VIDEO_OFFER,      /* "%s invites you to a video call" */
    WG_T_VIDEO_OFFER_SCREEN, /* "%s invites you to a video call and will share their screen" */
    WG_T_BTN_VIDEO_JOIN,   /* "Join video" */
    WG_T_BTN_VIDEO_DECLINE,/* "Not now" */
    WG_T_BTN_CAMERA_ON,    /* "Turn camera on" */
    WG_T_BTN_CAMERA_OFF,   /* "Turn camera off" */
    WG_T_BTN_VIDEO_END,    /* "End video" */
    WG_T_VIDEO_JOINING,    /* "Connecting video..." */
    WG_T_VIDEO_REMOTE,     /* "Agent's video" (label) */
    WG_T_VIDEO_LOCAL,      /* "Your camera" (label) */
    WG_T_AGENT,            /* "Agent" (a name when none is known) */
    WG_T_YOU,              /* "You" */
    WG_T_SYS_JOINED,       /* "%s joined the chat" (a line in the log) */
    WG_T_SYS_LEFT,         /* "%s left the chat" */
    WG_T_SYS_ENDED_AGENT,  /* "%s ended the chat" */
    WG_T_SYS_ENDED_YOU,    /* "You ended the chat" */
    WG_T_SYS_ENDED,        /* "The chat ended" */
    WG_T_SYS_VIDEO_STARTED, /* "Video call started" */
    WG_T_SYS_VIDEO_ENDED,  /* "Video call ended" */
    WG_T_DELIVERED,        /* "Delivered" (the customer's last message) */
    WG_T_READ,             /* "Read" */
    WG_T_UNREAD,           /* "%s unread" (the floating launcher's count, in its label) */
    WG_T_END_CONFIRM,      /* "End this chat?" */
    WG_T_BTN_END_YES,      /* "Yes, end it" */
    WG_T_BTN_END_NO,       /* "Keep chatting" */
    WG_T_BTN_TRANSCRIPT,   /* "Download the transcript" */
    WG_T_REF_OFFER,        /* "Start with your reference code %s?" */
    WG_T_REF_ACCEPTED,     /* "Code accepted" */
    WG_T_AWAY,             /* "Nobody is here right now" */
    WG_T_BTN_LEAVE_MESSAGE,/* "Leave a message" */
    WG_T_AWAY_STATUS,      /* "Leave a message and an agent will answer when they are back" */
    WG_T_RATE_QUESTION,    /* "How was your chat?" (the rating's group label) */
    WG_T_RATE_ONE,         /* "1 star" (a score's label) */
    WG_T_RATE_MANY,        /* "%s stars" (2 to 5) */
    WG_T_RATE_COMMENT,     /* "Add a comment (optional)" (label) */
    WG_T_BTN_RATE_SEND,    /* "Send rating" */
    WG_T_BTN_RATE_SKIP,    /* "Skip" */
    WG_T_RATE_THANKS,      /* "Thank you for your feedback" */
    /* a call bridged to a phone: status and ended reasons */
    WG_T_CALL_PHONE_DIALING,   /* "Calling %s..." (the number) */
    WG_T_CALL_PHONE_CONNECTED, /* "Connected to %s" */
    WG_T_REASON_FAR_END,   /* "The other side hung up" */
    WG_T_REASON_BUSY,      /* "The line is busy" */
    WG_T_REASON_DECLINED,  /* "The call was declined" */
    WG_T_REASON_NO_ANSWER, /* "Nobody answered" */
    WG_T_REASON_FAILED,    /* "The call could not be connected" */
    WG_T_REASON_FAILED_CODE, /* "The call could not be connected (SIP %s)" */
    WG_T_REASON_GATEWAY,   /* "The phone connection was lost" */
    /* a transfer to another agent, and the marker of unseen messages */
    WG_T_TRANSFERRING,     /* "Transferring you to another agent..." (status until one joins) */
    WG_T_SYS_TRANSFERRED,  /* "%s transferred the chat" (a line in the log) */
    WG_T_NEW_MESSAGES,     /* "New messages" (the marker before the first unseen one) */
    WG_T_REF_ACCEPTED_AGENT, /* "Code accepted, connecting you to %s" (the issuing agent) */
    WG_T_CALL_HOLD,        /* "On hold" (the agent put the call on hold) */
    WG_T_COUNT
};

/* A locale's table, indexed: where each code's text starts. */
struct wg_texts {
    const char *table; /* borrowed: must outlive the index; NULL until indexed */
    uint16_t at[WG_T_COUNT];
};

/* Index table[0..len): exactly WG_T_COUNT - 1 non-empty texts, each ended
 * by a NUL (the last byte), valid UTF-8, under 64 KiB. 0, or WG_E_INVAL
 * (and *t unchanged) for anything else: a table with a text missing or
 * one too many is refused whole, never shifted. */
int wg_texts_index(struct wg_texts *t, const char *table, size_t len);

/* The text for code: never NULL; "" for WG_T_NONE, an unknown code, or
 * texts not indexed yet. */
const char *wg_texts_get(const struct wg_texts *t, enum wg_text code);

/* The compiled-in table of locale and its length in *len (NUL included),
 * or NULL (and *len 0) where none is compiled in: the wasm build, whose
 * tables are fetched. */
const char *wg_i18n_builtin(enum wg_locale locale, size_t *len);

/* The locale's BCP 47 tag ("en", "es", "fr", "de", "pt", "ja"), for the
 * element's lang attribute and the locale file's name. */
const char *wg_i18n_tag(enum wg_locale locale);

#endif
