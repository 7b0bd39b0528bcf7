/* wg_i18n.c - the widget's texts in English and Spanish (see wg_i18n.h).
 *
 * One string per locale holding its texts in enum wg_text order, each
 * ended by a NUL and labelled with its code (a table of pointers would cost
 * the download 4 bytes a text per locale). An empty text is a slot that
 * wg_i18n_text fills from English. A text added to the header must be added
 * to every table at its place: test_wg_i18n checks the last code of each
 * locale, so a missing one (a shifted table) fails it. Texts that take a
 * value use "%s" exactly once; the view substitutes it itself (no printf),
 * so a translation can never smuggle in another conversion. */
#include "wg_i18n.h"

#include <stddef.h>
#include <string.h>

static const char texts_en[] =
    "Call us\0" /* LAUNCH_CALL */
    "Chat with us\0" /* LAUNCH_CHAT */
    "Video chat\0" /* LAUNCH_VIDEO */
    "No agents available right now\0" /* UNAVAILABLE */
    "Close\0" /* CLOSE */
    "Start a chat with us\0" /* CHAT_IDLE */
    "Starting chat...\0" /* CHAT_STARTING */
    "Waiting for an agent\0" /* CHAT_WAITING */
    "Chatting with %s\0" /* CHAT_CONNECTED */
    "Chat ended\0" /* CHAT_ENDED */
    "Call an agent from your browser\0" /* CALL_IDLE */
    "Waiting for the microphone...\0" /* CALL_MEDIA */
    "Calling...\0" /* CALL_DIALING */
    "Waiting for an agent\0" /* CALL_QUEUED */
    "Ringing...\0" /* CALL_RINGING */
    "On a call with %s\0" /* CALL_CONNECTED */
    "Call ended\0" /* CALL_ENDED */
    "You are number %s in line\0" /* QUEUE */
    "About %s min\0" /* QUEUE_WAIT */
    "Reconnecting...\0" /* RECONNECTING */
    "%s is typing...\0" /* TYPING */
    "Please sign in again\0" /* ERR_AUTH */
    "Network problem, please try again\0" /* ERR_NETWORK */
    "Something went wrong, please try again\0" /* ERR_SERVER */
    "The request was refused\0" /* ERR_REJECTED */
    "This conversation has ended\0" /* ERR_ENDED */
    "Microphone access was denied. Allow it in your browser to call.\0" /* ERR_MIC_DENIED */
    "No microphone was found\0" /* ERR_MIC_MISSING */
    "The audio or video connection failed\0" /* ERR_MEDIA */
    "The camera could not be turned on\0" /* ERR_CAMERA */
    "Please enter a valid phone number\0" /* ERR_NUMBER */
    "A reference is 8 digits\0" /* ERR_REFERENCE */
    "That reference was not found\0" /* ERR_REF_NOT_FOUND */
    "That reference has already been used\0" /* ERR_REF_USED */
    "That reference has expired\0" /* ERR_REF_EXPIRED */
    "That reference was issued to someone else\0" /* ERR_REF_EMAIL */
    "Messages must be 1 to 8192 characters of text\0" /* ERR_MESSAGE */
    "No agent was available\0" /* REASON_NO_AGENT */
    "The agent could not take the call\0" /* REASON_REJECTED */
    "The agent ended the conversation\0" /* REASON_AGENT */
    "You ended the conversation\0" /* REASON_YOU */
    "Start chat\0" /* BTN_START */
    "Start a new chat\0" /* BTN_NEW_CHAT */
    "Send\0" /* BTN_SEND */
    "End chat\0" /* BTN_END_CHAT */
    "Call\0" /* BTN_CALL */
    "Call again\0" /* BTN_CALL_AGAIN */
    "Hang up\0" /* BTN_HANGUP */
    "Mute\0" /* BTN_MUTE */
    "Unmute\0" /* BTN_UNMUTE */
    "Keypad\0" /* KEYPAD */
    "Digits sent: %s\0" /* DIGITS */
    "Phone number\0" /* NUMBER_INPUT */
    "Type a message\0" /* CHAT_INPUT */
    "Conversation\0" /* CHAT_LOG */
    "Have a reference code?\0" /* REFERENCE_INPUT */
    "Go\0" /* BTN_REFERENCE */
    "%s invites you to a video call\0" /* VIDEO_OFFER */
    "%s invites you to a video call and will share their screen\0" /* VIDEO_OFFER_SCREEN */
    "Join video\0" /* BTN_VIDEO_JOIN */
    "Not now\0" /* BTN_VIDEO_DECLINE */
    "Turn camera on\0" /* BTN_CAMERA_ON */
    "Turn camera off\0" /* BTN_CAMERA_OFF */
    "End video\0" /* BTN_VIDEO_END */
    "Connecting video...\0" /* VIDEO_JOINING */
    "Agent's video\0" /* VIDEO_REMOTE */
    "Your camera\0" /* VIDEO_LOCAL */
    "Agent\0" /* AGENT */
    "You\0" /* YOU */
    "%s joined the chat\0" /* SYS_JOINED */
    "%s left the chat\0" /* SYS_LEFT */
    "%s ended the chat\0" /* SYS_ENDED_AGENT */
    "You ended the chat\0" /* SYS_ENDED_YOU */
    "The chat ended\0" /* SYS_ENDED */
    "Delivered\0" /* DELIVERED */
    "Read\0" /* READ */
    "%s unread\0" /* UNREAD */
    "End this chat?\0" /* END_CONFIRM */
    "Yes, end it\0" /* BTN_END_YES */
    "Keep chatting\0" /* BTN_END_NO */
    "Download the transcript\0" /* BTN_TRANSCRIPT */
    "Start with your reference code %s?\0" /* REF_OFFER */
    "Code accepted\0" /* REF_ACCEPTED */
    "Nobody is here right now\0" /* AWAY */
    "Leave a message\0" /* BTN_LEAVE_MESSAGE */
    "Leave a message and an agent will answer when they are back\0" /* AWAY_STATUS */
    "How was your chat?\0" /* RATE_QUESTION */
    "1 star\0" /* RATE_ONE */
    "%s stars\0" /* RATE_MANY */
    "Add a comment (optional)\0" /* RATE_COMMENT */
    "Send rating\0" /* BTN_RATE_SEND */
    "Skip\0" /* BTN_RATE_SKIP */
    "Thank you for your feedback\0" /* RATE_THANKS */;

/* Neutral Spanish (tú, no regional vocabulary) so one table serves Spain
 * and Latin America alike. */
static const char texts_es[] =
    "Llámanos\0" /* LAUNCH_CALL */
    "Chatea con nosotros\0" /* LAUNCH_CHAT */
    "Videochat\0" /* LAUNCH_VIDEO */
    "No hay agentes disponibles en este momento\0" /* UNAVAILABLE */
    "Cerrar\0" /* CLOSE */
    "Inicia un chat con nosotros\0" /* CHAT_IDLE */
    "Iniciando el chat...\0" /* CHAT_STARTING */
    "Esperando a un agente\0" /* CHAT_WAITING */
    "Chateando con %s\0" /* CHAT_CONNECTED */
    "Chat finalizado\0" /* CHAT_ENDED */
    "Llama a un agente desde tu navegador\0" /* CALL_IDLE */
    "Esperando el micrófono...\0" /* CALL_MEDIA */
    "Llamando...\0" /* CALL_DIALING */
    "Esperando a un agente\0" /* CALL_QUEUED */
    "Sonando...\0" /* CALL_RINGING */
    "En llamada con %s\0" /* CALL_CONNECTED */
    "Llamada finalizada\0" /* CALL_ENDED */
    "Eres el número %s en la fila\0" /* QUEUE */
    "Unos %s min\0" /* QUEUE_WAIT */
    "Reconectando...\0" /* RECONNECTING */
    "%s está escribiendo...\0" /* TYPING */
    "Vuelve a iniciar sesión\0" /* ERR_AUTH */
    "Problema de conexión, inténtalo de nuevo\0" /* ERR_NETWORK */
    "Algo salió mal, inténtalo de nuevo\0" /* ERR_SERVER */
    "La solicitud fue rechazada\0" /* ERR_REJECTED */
    "Esta conversación ha finalizado\0" /* ERR_ENDED */
    "Se denegó el acceso al micrófono. Permítelo en tu navegador para poder llamar.\0" /* ERR_MIC_DENIED */
    "No se encontró ningún micrófono\0" /* ERR_MIC_MISSING */
    "Falló la conexión de audio o video\0" /* ERR_MEDIA */
    "No se pudo encender la cámara\0" /* ERR_CAMERA */
    "Escribe un número de teléfono válido\0" /* ERR_NUMBER */
    "El código de referencia tiene 8 dígitos\0" /* ERR_REFERENCE */
    "No se encontró ese código de referencia\0" /* ERR_REF_NOT_FOUND */
    "Ese código de referencia ya se usó\0" /* ERR_REF_USED */
    "Ese código de referencia ha caducado\0" /* ERR_REF_EXPIRED */
    "Ese código de referencia se emitió para otra persona\0" /* ERR_REF_EMAIL */
    "Los mensajes deben tener entre 1 y 8192 caracteres de texto\0" /* ERR_MESSAGE */
    "No había ningún agente disponible\0" /* REASON_NO_AGENT */
    "El agente no pudo atender la llamada\0" /* REASON_REJECTED */
    "El agente finalizó la conversación\0" /* REASON_AGENT */
    "Finalizaste la conversación\0" /* REASON_YOU */
    "Iniciar chat\0" /* BTN_START */
    "Iniciar un chat nuevo\0" /* BTN_NEW_CHAT */
    "Enviar\0" /* BTN_SEND */
    "Finalizar chat\0" /* BTN_END_CHAT */
    "Llamar\0" /* BTN_CALL */
    "Volver a llamar\0" /* BTN_CALL_AGAIN */
    "Colgar\0" /* BTN_HANGUP */
    "Silenciar\0" /* BTN_MUTE */
    "Activar micrófono\0" /* BTN_UNMUTE */
    "Teclado\0" /* KEYPAD */
    "Dígitos enviados: %s\0" /* DIGITS */
    "Número de teléfono\0" /* NUMBER_INPUT */
    "Escribe un mensaje\0" /* CHAT_INPUT */
    "Conversación\0" /* CHAT_LOG */
    "¿Tienes un código de referencia?\0" /* REFERENCE_INPUT */
    "Ir\0" /* BTN_REFERENCE */
    "%s te invita a una videollamada\0" /* VIDEO_OFFER */
    "%s te invita a una videollamada y compartirá su pantalla\0" /* VIDEO_OFFER_SCREEN */
    "Unirme al video\0" /* BTN_VIDEO_JOIN */
    "Ahora no\0" /* BTN_VIDEO_DECLINE */
    "Encender la cámara\0" /* BTN_CAMERA_ON */
    "Apagar la cámara\0" /* BTN_CAMERA_OFF */
    "Finalizar video\0" /* BTN_VIDEO_END */
    "Conectando el video...\0" /* VIDEO_JOINING */
    "Video del agente\0" /* VIDEO_REMOTE */
    "Tu cámara\0" /* VIDEO_LOCAL */
    "Agente\0" /* AGENT */
    "Tú\0" /* YOU */
    "%s se unió al chat\0" /* SYS_JOINED */
    "%s salió del chat\0" /* SYS_LEFT */
    "%s finalizó el chat\0" /* SYS_ENDED_AGENT */
    "Finalizaste el chat\0" /* SYS_ENDED_YOU */
    "El chat finalizó\0" /* SYS_ENDED */
    "Entregado\0" /* DELIVERED */
    "Leído\0" /* READ */
    "%s sin leer\0" /* UNREAD */
    "¿Terminar este chat?\0" /* END_CONFIRM */
    "Sí, terminarlo\0" /* BTN_END_YES */
    "Seguir chateando\0" /* BTN_END_NO */
    "Descargar la conversación\0" /* BTN_TRANSCRIPT */
    "¿Empezar con tu código de referencia %s?\0" /* REF_OFFER */
    "Código aceptado\0" /* REF_ACCEPTED */
    "No hay nadie en este momento\0" /* AWAY */
    "Dejar un mensaje\0" /* BTN_LEAVE_MESSAGE */
    "Deja un mensaje y un agente te responderá cuando vuelva\0" /* AWAY_STATUS */
    "¿Qué tal fue el chat?\0" /* RATE_QUESTION */
    "1 estrella\0" /* RATE_ONE */
    "%s estrellas\0" /* RATE_MANY */
    "Añade un comentario (opcional)\0" /* RATE_COMMENT */
    "Enviar valoración\0" /* BTN_RATE_SEND */
    "Omitir\0" /* BTN_RATE_SKIP */
    "Gracias por tu opinión\0" /* RATE_THANKS */;

static const char *const tables[WG_LOCALE_COUNT] = {
    [WG_LOCALE_EN] = texts_en,
    [WG_LOCALE_ES] = texts_es,
};

static const char *const tags[WG_LOCALE_COUNT] = {
    [WG_LOCALE_EN] = "en",
    [WG_LOCALE_ES] = "es",
};

/* The code-th string of a table ("" for an empty slot). */
static const char *nth(const char *s, unsigned code)
{
    for (unsigned i = 1; i < code; i++)
        s += strlen(s) + 1;
    return s;
}

const char *wg_i18n_text(enum wg_locale locale, enum wg_text code)
{
    if ((unsigned)code <= WG_T_NONE || (unsigned)code >= WG_T_COUNT)
        return "";
    const char *s = "";
    if ((unsigned)locale < WG_LOCALE_COUNT)
        s = nth(tables[locale], code);
    return s[0] ? s : nth(texts_en, code);
}

const char *wg_i18n_tag(enum wg_locale locale)
{
    if ((unsigned)locale >= WG_LOCALE_COUNT)
        return tags[WG_LOCALE_EN];
    return tags[locale];
}
