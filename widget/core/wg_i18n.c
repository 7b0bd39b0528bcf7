/* wg_i18n.c - the widget's texts in English and Spanish (see wg_i18n.h).
 *
 * One designated-initializer table per locale, indexed by enum wg_text, so
 * a code added to the header without a text here is an empty slot that
 * wg_i18n_text fills from English, never a shifted table. Texts that take a
 * value use "%s" exactly once; the view substitutes it itself (no printf),
 * so a translation can never smuggle in another conversion. */
#include "wg_i18n.h"

#include <stddef.h>

static const char *const texts_en[WG_T_COUNT] = {
    [WG_T_LAUNCH_CALL] = "Call us",
    [WG_T_LAUNCH_CHAT] = "Chat with us",
    [WG_T_LAUNCH_VIDEO] = "Video chat",
    [WG_T_UNAVAILABLE] = "No agents available right now",
    [WG_T_CLOSE] = "Close",
    [WG_T_CHAT_IDLE] = "Start a chat with us",
    [WG_T_CHAT_STARTING] = "Starting chat...",
    [WG_T_CHAT_WAITING] = "Waiting for an agent",
    [WG_T_CHAT_CONNECTED] = "Chatting with %s",
    [WG_T_CHAT_ENDED] = "Chat ended",
    [WG_T_CALL_IDLE] = "Call an agent from your browser",
    [WG_T_CALL_MEDIA] = "Waiting for the microphone...",
    [WG_T_CALL_DIALING] = "Calling...",
    [WG_T_CALL_QUEUED] = "Waiting for an agent",
    [WG_T_CALL_RINGING] = "Ringing...",
    [WG_T_CALL_CONNECTED] = "On a call with %s",
    [WG_T_CALL_ENDED] = "Call ended",
    [WG_T_QUEUE] = "You are number %s in line",
    [WG_T_QUEUE_WAIT] = "About %s min",
    [WG_T_RECONNECTING] = "Reconnecting...",
    [WG_T_TYPING] = "%s is typing...",
    [WG_T_ERR_AUTH] = "Please sign in again",
    [WG_T_ERR_NETWORK] = "Network problem, please try again",
    [WG_T_ERR_SERVER] = "Something went wrong, please try again",
    [WG_T_ERR_REJECTED] = "The request was refused",
    [WG_T_ERR_ENDED] = "This conversation has ended",
    [WG_T_ERR_MIC_DENIED] = "Microphone access was denied. Allow it in your browser to call.",
    [WG_T_ERR_MIC_MISSING] = "No microphone was found",
    [WG_T_ERR_MEDIA] = "The audio or video connection failed",
    [WG_T_ERR_CAMERA] = "The camera could not be turned on",
    [WG_T_ERR_NUMBER] = "Please enter a valid phone number",
    [WG_T_ERR_REFERENCE] = "A reference is 8 digits",
    [WG_T_ERR_REF_NOT_FOUND] = "That reference was not found",
    [WG_T_ERR_REF_USED] = "That reference has already been used",
    [WG_T_ERR_REF_EXPIRED] = "That reference has expired",
    [WG_T_ERR_REF_EMAIL] = "That reference was issued to someone else",
    [WG_T_ERR_MESSAGE] = "Messages must be 1 to 8192 characters of text",
    [WG_T_REASON_NO_AGENT] = "No agent was available",
    [WG_T_REASON_REJECTED] = "The agent could not take the call",
    [WG_T_REASON_AGENT] = "The agent ended the conversation",
    [WG_T_REASON_YOU] = "You ended the conversation",
    [WG_T_BTN_START] = "Start chat",
    [WG_T_BTN_NEW_CHAT] = "Start a new chat",
    [WG_T_BTN_SEND] = "Send",
    [WG_T_BTN_END_CHAT] = "End chat",
    [WG_T_BTN_CALL] = "Call",
    [WG_T_BTN_CALL_AGAIN] = "Call again",
    [WG_T_BTN_HANGUP] = "Hang up",
    [WG_T_BTN_MUTE] = "Mute",
    [WG_T_BTN_UNMUTE] = "Unmute",
    [WG_T_KEYPAD] = "Keypad",
    [WG_T_DIGITS] = "Digits sent: %s",
    [WG_T_NUMBER_INPUT] = "Phone number",
    [WG_T_CHAT_INPUT] = "Type a message",
    [WG_T_CHAT_LOG] = "Conversation",
    [WG_T_REFERENCE_INPUT] = "Have a reference code?",
    [WG_T_BTN_REFERENCE] = "Go",
    [WG_T_VIDEO_OFFER] = "%s invites you to a video call",
    [WG_T_VIDEO_OFFER_SCREEN] = "%s invites you to a video call and will share their screen",
    [WG_T_BTN_VIDEO_JOIN] = "Join video",
    [WG_T_BTN_VIDEO_DECLINE] = "Not now",
    [WG_T_BTN_CAMERA_ON] = "Turn camera on",
    [WG_T_BTN_CAMERA_OFF] = "Turn camera off",
    [WG_T_BTN_VIDEO_END] = "End video",
    [WG_T_VIDEO_JOINING] = "Connecting video...",
    [WG_T_VIDEO_REMOTE] = "Agent's video",
    [WG_T_VIDEO_LOCAL] = "Your camera",
    [WG_T_AGENT] = "Agent",
    [WG_T_YOU] = "You",
    [WG_T_SYS_JOINED] = "%s joined the chat",
    [WG_T_SYS_LEFT] = "%s left the chat",
    [WG_T_SYS_ENDED_AGENT] = "%s ended the chat",
    [WG_T_SYS_ENDED_YOU] = "You ended the chat",
    [WG_T_SYS_ENDED] = "The chat ended",
    [WG_T_DELIVERED] = "Delivered",
    [WG_T_READ] = "Read",
};

/* Neutral Spanish (tú, no regional vocabulary) so one table serves Spain
 * and Latin America alike. */
static const char *const texts_es[WG_T_COUNT] = {
    [WG_T_LAUNCH_CALL] = "Llámanos",
    [WG_T_LAUNCH_CHAT] = "Chatea con nosotros",
    [WG_T_LAUNCH_VIDEO] = "Videochat",
    [WG_T_UNAVAILABLE] = "No hay agentes disponibles en este momento",
    [WG_T_CLOSE] = "Cerrar",
    [WG_T_CHAT_IDLE] = "Inicia un chat con nosotros",
    [WG_T_CHAT_STARTING] = "Iniciando el chat...",
    [WG_T_CHAT_WAITING] = "Esperando a un agente",
    [WG_T_CHAT_CONNECTED] = "Chateando con %s",
    [WG_T_CHAT_ENDED] = "Chat finalizado",
    [WG_T_CALL_IDLE] = "Llama a un agente desde tu navegador",
    [WG_T_CALL_MEDIA] = "Esperando el micrófono...",
    [WG_T_CALL_DIALING] = "Llamando...",
    [WG_T_CALL_QUEUED] = "Esperando a un agente",
    [WG_T_CALL_RINGING] = "Sonando...",
    [WG_T_CALL_CONNECTED] = "En llamada con %s",
    [WG_T_CALL_ENDED] = "Llamada finalizada",
    [WG_T_QUEUE] = "Eres el número %s en la fila",
    [WG_T_QUEUE_WAIT] = "Unos %s min",
    [WG_T_RECONNECTING] = "Reconectando...",
    [WG_T_TYPING] = "%s está escribiendo...",
    [WG_T_ERR_AUTH] = "Vuelve a iniciar sesión",
    [WG_T_ERR_NETWORK] = "Problema de conexión, inténtalo de nuevo",
    [WG_T_ERR_SERVER] = "Algo salió mal, inténtalo de nuevo",
    [WG_T_ERR_REJECTED] = "La solicitud fue rechazada",
    [WG_T_ERR_ENDED] = "Esta conversación ha finalizado",
    [WG_T_ERR_MIC_DENIED] =
        "Se denegó el acceso al micrófono. Permítelo en tu navegador para poder llamar.",
    [WG_T_ERR_MIC_MISSING] = "No se encontró ningún micrófono",
    [WG_T_ERR_MEDIA] = "Falló la conexión de audio o video",
    [WG_T_ERR_CAMERA] = "No se pudo encender la cámara",
    [WG_T_ERR_NUMBER] = "Escribe un número de teléfono válido",
    [WG_T_ERR_REFERENCE] = "El código de referencia tiene 8 dígitos",
    [WG_T_ERR_REF_NOT_FOUND] = "No se encontró ese código de referencia",
    [WG_T_ERR_REF_USED] = "Ese código de referencia ya se usó",
    [WG_T_ERR_REF_EXPIRED] = "Ese código de referencia ha caducado",
    [WG_T_ERR_REF_EMAIL] = "Ese código de referencia se emitió para otra persona",
    [WG_T_ERR_MESSAGE] = "Los mensajes deben tener entre 1 y 8192 caracteres de texto",
    [WG_T_REASON_NO_AGENT] = "No había ningún agente disponible",
    [WG_T_REASON_REJECTED] = "El agente no pudo atender la llamada",
    [WG_T_REASON_AGENT] = "El agente finalizó la conversación",
    [WG_T_REASON_YOU] = "Finalizaste la conversación",
    [WG_T_BTN_START] = "Iniciar chat",
    [WG_T_BTN_NEW_CHAT] = "Iniciar un chat nuevo",
    [WG_T_BTN_SEND] = "Enviar",
    [WG_T_BTN_END_CHAT] = "Finalizar chat",
    [WG_T_BTN_CALL] = "Llamar",
    [WG_T_BTN_CALL_AGAIN] = "Volver a llamar",
    [WG_T_BTN_HANGUP] = "Colgar",
    [WG_T_BTN_MUTE] = "Silenciar",
    [WG_T_BTN_UNMUTE] = "Activar micrófono",
    [WG_T_KEYPAD] = "Teclado",
    [WG_T_DIGITS] = "Dígitos enviados: %s",
    [WG_T_NUMBER_INPUT] = "Número de teléfono",
    [WG_T_CHAT_INPUT] = "Escribe un mensaje",
    [WG_T_CHAT_LOG] = "Conversación",
    [WG_T_REFERENCE_INPUT] = "¿Tienes un código de referencia?",
    [WG_T_BTN_REFERENCE] = "Ir",
    [WG_T_VIDEO_OFFER] = "%s te invita a una videollamada",
    [WG_T_VIDEO_OFFER_SCREEN] = "%s te invita a una videollamada y compartirá su pantalla",
    [WG_T_BTN_VIDEO_JOIN] = "Unirme al video",
    [WG_T_BTN_VIDEO_DECLINE] = "Ahora no",
    [WG_T_BTN_CAMERA_ON] = "Encender la cámara",
    [WG_T_BTN_CAMERA_OFF] = "Apagar la cámara",
    [WG_T_BTN_VIDEO_END] = "Finalizar video",
    [WG_T_VIDEO_JOINING] = "Conectando el video...",
    [WG_T_VIDEO_REMOTE] = "Video del agente",
    [WG_T_VIDEO_LOCAL] = "Tu cámara",
    [WG_T_AGENT] = "Agente",
    [WG_T_YOU] = "Tú",
    [WG_T_SYS_JOINED] = "%s se unió al chat",
    [WG_T_SYS_LEFT] = "%s salió del chat",
    [WG_T_SYS_ENDED_AGENT] = "%s finalizó el chat",
    [WG_T_SYS_ENDED_YOU] = "Finalizaste el chat",
    [WG_T_SYS_ENDED] = "El chat finalizó",
    [WG_T_DELIVERED] = "Entregado",
    [WG_T_READ] = "Leído",
};

static const char *const *const tables[WG_LOCALE_COUNT] = {
    [WG_LOCALE_EN] = texts_en,
    [WG_LOCALE_ES] = texts_es,
};

static const char *const tags[WG_LOCALE_COUNT] = {
    [WG_LOCALE_EN] = "en",
    [WG_LOCALE_ES] = "es",
};

const char *wg_i18n_text(enum wg_locale locale, enum wg_text code)
{
    if ((unsigned)code <= WG_T_NONE || (unsigned)code >= WG_T_COUNT)
        return "";
    const char *s = NULL;
    if ((unsigned)locale < WG_LOCALE_COUNT)
        s = tables[locale][code];
    if (!s)
        s = texts_en[code];
    return s ? s : "";
}

const char *wg_i18n_tag(enum wg_locale locale)
{
    if ((unsigned)locale >= WG_LOCALE_COUNT)
        return tags[WG_LOCALE_EN];
    return tags[locale];
}
