/* wg_i18n_tables.c - the widget's texts, one string per locale: its texts
 * in enum wg_text order, each ended by a NUL and labelled with its code.
 *
 * The single source of every text. Natively (the core's tests, tools) they
 * are compiled in and wg_i18n_builtin hands them out. The wasm build leaves
 * this file out: widget/gen_locales.mjs checks every table (each code of
 * the header, in order, none empty, the same placeholders as English) and
 * writes each as the file the bridge fetches for that locale
 * (c2c.<tag>.<hash>.txt: exactly the bytes of the string, NULs included),
 * so a page downloads the texts of its own language only. Texts that take a
 * value use "%s" exactly once; the view substitutes it itself (no printf),
 * so a translation can never smuggle in another conversion. */
#include "wg_i18n.h"

#include <stddef.h>

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
    "Video call started\0" /* SYS_VIDEO_STARTED */
    "Video call ended\0" /* SYS_VIDEO_ENDED */
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
    "Thank you for your feedback\0" /* RATE_THANKS */
    "Calling %s...\0" /* CALL_PHONE_DIALING */
    "Connected to %s\0" /* CALL_PHONE_CONNECTED */
    "The other side hung up\0" /* REASON_FAR_END */
    "The line is busy\0" /* REASON_BUSY */
    "The call was declined\0" /* REASON_DECLINED */
    "Nobody answered\0" /* REASON_NO_ANSWER */
    "The call could not be connected\0" /* REASON_FAILED */
    "The call could not be connected (SIP %s)\0" /* REASON_FAILED_CODE */
    "The phone connection was lost\0" /* REASON_GATEWAY */
    "Transferring you to another agent...\0" /* TRANSFERRING */
    "%s transferred the chat\0" /* SYS_TRANSFERRED */
    "New messages\0" /* NEW_MESSAGES */
    "Code accepted, connecting you to %s\0" /* REF_ACCEPTED_AGENT */
    "On hold\0" /* CALL_HOLD */;

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
    "Videollamada iniciada\0" /* SYS_VIDEO_STARTED */
    "Videollamada finalizada\0" /* SYS_VIDEO_ENDED */
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
    "Gracias por tu opinión\0" /* RATE_THANKS */
    "Llamando al %s...\0" /* CALL_PHONE_DIALING */
    "Conectado con el %s\0" /* CALL_PHONE_CONNECTED */
    "La otra parte colgó\0" /* REASON_FAR_END */
    "La línea está ocupada\0" /* REASON_BUSY */
    "La llamada fue rechazada\0" /* REASON_DECLINED */
    "Nadie contestó\0" /* REASON_NO_ANSWER */
    "No se pudo conectar la llamada\0" /* REASON_FAILED */
    "No se pudo conectar la llamada (SIP %s)\0" /* REASON_FAILED_CODE */
    "Se perdió la conexión telefónica\0" /* REASON_GATEWAY */
    "Te estamos transfiriendo a otro agente...\0" /* TRANSFERRING */
    "%s transfirió el chat\0" /* SYS_TRANSFERRED */
    "Mensajes nuevos\0" /* NEW_MESSAGES */
    "Código aceptado, te estamos conectando con %s\0" /* REF_ACCEPTED_AGENT */
    "En espera\0" /* CALL_HOLD */;

/* French: vous, "conseiller" for the agent as French support sites say. */
static const char texts_fr[] =
    "Appelez-nous\0" /* LAUNCH_CALL */
    "Discutez avec nous\0" /* LAUNCH_CHAT */
    "Chat vidéo\0" /* LAUNCH_VIDEO */
    "Aucun conseiller disponible pour le moment\0" /* UNAVAILABLE */
    "Fermer\0" /* CLOSE */
    "Discutez avec nous\0" /* CHAT_IDLE */
    "Ouverture de la discussion...\0" /* CHAT_STARTING */
    "En attente d'un conseiller\0" /* CHAT_WAITING */
    "En discussion avec %s\0" /* CHAT_CONNECTED */
    "Discussion terminée\0" /* CHAT_ENDED */
    "Appelez un conseiller depuis votre navigateur\0" /* CALL_IDLE */
    "En attente du micro...\0" /* CALL_MEDIA */
    "Appel en cours...\0" /* CALL_DIALING */
    "En attente d'un conseiller\0" /* CALL_QUEUED */
    "Ça sonne...\0" /* CALL_RINGING */
    "En ligne avec %s\0" /* CALL_CONNECTED */
    "Appel terminé\0" /* CALL_ENDED */
    "Vous êtes n° %s dans la file d'attente\0" /* QUEUE */
    "Environ %s min\0" /* QUEUE_WAIT */
    "Reconnexion...\0" /* RECONNECTING */
    "%s est en train d'écrire...\0" /* TYPING */
    "Veuillez vous reconnecter\0" /* ERR_AUTH */
    "Problème de réseau, veuillez réessayer\0" /* ERR_NETWORK */
    "Une erreur s'est produite, veuillez réessayer\0" /* ERR_SERVER */
    "La demande a été refusée\0" /* ERR_REJECTED */
    "Cette conversation est terminée\0" /* ERR_ENDED */
    "L'accès au micro a été refusé. Autorisez-le dans votre navigateur pour appeler.\0" /* ERR_MIC_DENIED */
    "Aucun micro n'a été trouvé\0" /* ERR_MIC_MISSING */
    "La connexion audio ou vidéo a échoué\0" /* ERR_MEDIA */
    "Impossible d'allumer la caméra\0" /* ERR_CAMERA */
    "Veuillez saisir un numéro de téléphone valide\0" /* ERR_NUMBER */
    "Un code de référence compte 8 chiffres\0" /* ERR_REFERENCE */
    "Ce code de référence est introuvable\0" /* ERR_REF_NOT_FOUND */
    "Ce code de référence a déjà été utilisé\0" /* ERR_REF_USED */
    "Ce code de référence a expiré\0" /* ERR_REF_EXPIRED */
    "Ce code de référence a été attribué à quelqu'un d'autre\0" /* ERR_REF_EMAIL */
    "Un message doit compter de 1 à 8192 caractères de texte\0" /* ERR_MESSAGE */
    "Aucun conseiller n'était disponible\0" /* REASON_NO_AGENT */
    "Le conseiller n'a pas pu prendre l'appel\0" /* REASON_REJECTED */
    "Le conseiller a mis fin à la conversation\0" /* REASON_AGENT */
    "Vous avez mis fin à la conversation\0" /* REASON_YOU */
    "Démarrer la discussion\0" /* BTN_START */
    "Nouvelle discussion\0" /* BTN_NEW_CHAT */
    "Envoyer\0" /* BTN_SEND */
    "Terminer la discussion\0" /* BTN_END_CHAT */
    "Appeler\0" /* BTN_CALL */
    "Rappeler\0" /* BTN_CALL_AGAIN */
    "Raccrocher\0" /* BTN_HANGUP */
    "Couper le micro\0" /* BTN_MUTE */
    "Réactiver le micro\0" /* BTN_UNMUTE */
    "Clavier\0" /* KEYPAD */
    "Chiffres envoyés : %s\0" /* DIGITS */
    "Numéro de téléphone\0" /* NUMBER_INPUT */
    "Écrivez un message\0" /* CHAT_INPUT */
    "Conversation\0" /* CHAT_LOG */
    "Vous avez un code de référence ?\0" /* REFERENCE_INPUT */
    "Valider\0" /* BTN_REFERENCE */
    "%s vous invite à un appel vidéo\0" /* VIDEO_OFFER */
    "%s vous invite à un appel vidéo et partagera son écran\0" /* VIDEO_OFFER_SCREEN */
    "Rejoindre la vidéo\0" /* BTN_VIDEO_JOIN */
    "Pas maintenant\0" /* BTN_VIDEO_DECLINE */
    "Allumer la caméra\0" /* BTN_CAMERA_ON */
    "Éteindre la caméra\0" /* BTN_CAMERA_OFF */
    "Arrêter la vidéo\0" /* BTN_VIDEO_END */
    "Connexion de la vidéo...\0" /* VIDEO_JOINING */
    "Vidéo du conseiller\0" /* VIDEO_REMOTE */
    "Votre caméra\0" /* VIDEO_LOCAL */
    "Conseiller\0" /* AGENT */
    "Vous\0" /* YOU */
    "%s a rejoint la discussion\0" /* SYS_JOINED */
    "%s a quitté la discussion\0" /* SYS_LEFT */
    "%s a mis fin à la discussion\0" /* SYS_ENDED_AGENT */
    "Vous avez mis fin à la discussion\0" /* SYS_ENDED_YOU */
    "La discussion est terminée\0" /* SYS_ENDED */
    "Appel vidéo commencé\0" /* SYS_VIDEO_STARTED */
    "Appel vidéo terminé\0" /* SYS_VIDEO_ENDED */
    "Distribué\0" /* DELIVERED */
    "Lu\0" /* READ */
    "Non lus : %s\0" /* UNREAD */
    "Terminer cette discussion ?\0" /* END_CONFIRM */
    "Oui, terminer\0" /* BTN_END_YES */
    "Continuer la discussion\0" /* BTN_END_NO */
    "Télécharger la transcription\0" /* BTN_TRANSCRIPT */
    "Commencer avec votre code de référence %s ?\0" /* REF_OFFER */
    "Code accepté\0" /* REF_ACCEPTED */
    "Personne n'est disponible pour le moment\0" /* AWAY */
    "Laisser un message\0" /* BTN_LEAVE_MESSAGE */
    "Laissez un message : un conseiller vous répondra dès son retour\0" /* AWAY_STATUS */
    "Comment s'est passée la discussion ?\0" /* RATE_QUESTION */
    "1 étoile\0" /* RATE_ONE */
    "%s étoiles\0" /* RATE_MANY */
    "Ajouter un commentaire (facultatif)\0" /* RATE_COMMENT */
    "Envoyer la note\0" /* BTN_RATE_SEND */
    "Passer\0" /* BTN_RATE_SKIP */
    "Merci pour votre avis\0" /* RATE_THANKS */
    "Appel vers le %s...\0" /* CALL_PHONE_DIALING */
    "Connecté au %s\0" /* CALL_PHONE_CONNECTED */
    "Votre correspondant a raccroché\0" /* REASON_FAR_END */
    "La ligne est occupée\0" /* REASON_BUSY */
    "L'appel a été refusé\0" /* REASON_DECLINED */
    "Personne n'a répondu\0" /* REASON_NO_ANSWER */
    "L'appel n'a pas pu être établi\0" /* REASON_FAILED */
    "L'appel n'a pas pu être établi (SIP %s)\0" /* REASON_FAILED_CODE */
    "La connexion téléphonique a été perdue\0" /* REASON_GATEWAY */
    "Nous vous transférons vers un autre conseiller...\0" /* TRANSFERRING */
    "%s a transféré la discussion\0" /* SYS_TRANSFERRED */
    "Nouveaux messages\0" /* NEW_MESSAGES */
    "Code accepté, nous vous mettons en relation avec %s\0" /* REF_ACCEPTED_AGENT */
    "En attente\0" /* CALL_HOLD */;

/* German: Sie throughout, "Mitarbeiter" for the agent. */
static const char texts_de[] =
    "Rufen Sie uns an\0" /* LAUNCH_CALL */
    "Chatten Sie mit uns\0" /* LAUNCH_CHAT */
    "Video-Chat\0" /* LAUNCH_VIDEO */
    "Zurzeit ist kein Mitarbeiter verfügbar\0" /* UNAVAILABLE */
    "Schließen\0" /* CLOSE */
    "Starten Sie einen Chat mit uns\0" /* CHAT_IDLE */
    "Chat wird gestartet...\0" /* CHAT_STARTING */
    "Warten auf einen Mitarbeiter\0" /* CHAT_WAITING */
    "Im Chat mit %s\0" /* CHAT_CONNECTED */
    "Chat beendet\0" /* CHAT_ENDED */
    "Rufen Sie einen Mitarbeiter direkt aus Ihrem Browser an\0" /* CALL_IDLE */
    "Warten auf das Mikrofon...\0" /* CALL_MEDIA */
    "Anruf wird aufgebaut...\0" /* CALL_DIALING */
    "Warten auf einen Mitarbeiter\0" /* CALL_QUEUED */
    "Es klingelt...\0" /* CALL_RINGING */
    "Im Gespräch mit %s\0" /* CALL_CONNECTED */
    "Anruf beendet\0" /* CALL_ENDED */
    "Sie sind an Position %s in der Warteschlange\0" /* QUEUE */
    "Etwa %s Min.\0" /* QUEUE_WAIT */
    "Verbindung wird wiederhergestellt...\0" /* RECONNECTING */
    "%s schreibt...\0" /* TYPING */
    "Bitte melden Sie sich erneut an\0" /* ERR_AUTH */
    "Netzwerkproblem, bitte versuchen Sie es erneut\0" /* ERR_NETWORK */
    "Etwas ist schiefgelaufen, bitte versuchen Sie es erneut\0" /* ERR_SERVER */
    "Die Anfrage wurde abgelehnt\0" /* ERR_REJECTED */
    "Dieses Gespräch ist beendet\0" /* ERR_ENDED */
    "Der Zugriff auf das Mikrofon wurde verweigert. Erlauben Sie ihn in Ihrem Browser, um anzurufen.\0" /* ERR_MIC_DENIED */
    "Es wurde kein Mikrofon gefunden\0" /* ERR_MIC_MISSING */
    "Die Audio- oder Videoverbindung ist fehlgeschlagen\0" /* ERR_MEDIA */
    "Die Kamera konnte nicht eingeschaltet werden\0" /* ERR_CAMERA */
    "Bitte geben Sie eine gültige Telefonnummer ein\0" /* ERR_NUMBER */
    "Ein Referenzcode hat 8 Ziffern\0" /* ERR_REFERENCE */
    "Dieser Referenzcode wurde nicht gefunden\0" /* ERR_REF_NOT_FOUND */
    "Dieser Referenzcode wurde bereits verwendet\0" /* ERR_REF_USED */
    "Dieser Referenzcode ist abgelaufen\0" /* ERR_REF_EXPIRED */
    "Dieser Referenzcode wurde für jemand anderen ausgestellt\0" /* ERR_REF_EMAIL */
    "Nachrichten müssen 1 bis 8192 Zeichen Text lang sein\0" /* ERR_MESSAGE */
    "Es war kein Mitarbeiter verfügbar\0" /* REASON_NO_AGENT */
    "Der Mitarbeiter konnte den Anruf nicht annehmen\0" /* REASON_REJECTED */
    "Der Mitarbeiter hat das Gespräch beendet\0" /* REASON_AGENT */
    "Sie haben das Gespräch beendet\0" /* REASON_YOU */
    "Chat starten\0" /* BTN_START */
    "Neuen Chat starten\0" /* BTN_NEW_CHAT */
    "Senden\0" /* BTN_SEND */
    "Chat beenden\0" /* BTN_END_CHAT */
    "Anrufen\0" /* BTN_CALL */
    "Erneut anrufen\0" /* BTN_CALL_AGAIN */
    "Auflegen\0" /* BTN_HANGUP */
    "Stummschalten\0" /* BTN_MUTE */
    "Stummschaltung aufheben\0" /* BTN_UNMUTE */
    "Tastenfeld\0" /* KEYPAD */
    "Gesendete Ziffern: %s\0" /* DIGITS */
    "Telefonnummer\0" /* NUMBER_INPUT */
    "Nachricht eingeben\0" /* CHAT_INPUT */
    "Gespräch\0" /* CHAT_LOG */
    "Haben Sie einen Referenzcode?\0" /* REFERENCE_INPUT */
    "Los\0" /* BTN_REFERENCE */
    "%s lädt Sie zu einem Videoanruf ein\0" /* VIDEO_OFFER */
    "%s lädt Sie zu einem Videoanruf ein und wird den Bildschirm teilen\0" /* VIDEO_OFFER_SCREEN */
    "Video beitreten\0" /* BTN_VIDEO_JOIN */
    "Jetzt nicht\0" /* BTN_VIDEO_DECLINE */
    "Kamera einschalten\0" /* BTN_CAMERA_ON */
    "Kamera ausschalten\0" /* BTN_CAMERA_OFF */
    "Video beenden\0" /* BTN_VIDEO_END */
    "Video wird verbunden...\0" /* VIDEO_JOINING */
    "Video des Mitarbeiters\0" /* VIDEO_REMOTE */
    "Ihre Kamera\0" /* VIDEO_LOCAL */
    "Mitarbeiter\0" /* AGENT */
    "Sie\0" /* YOU */
    "%s ist dem Chat beigetreten\0" /* SYS_JOINED */
    "%s hat den Chat verlassen\0" /* SYS_LEFT */
    "%s hat den Chat beendet\0" /* SYS_ENDED_AGENT */
    "Sie haben den Chat beendet\0" /* SYS_ENDED_YOU */
    "Der Chat wurde beendet\0" /* SYS_ENDED */
    "Videoanruf gestartet\0" /* SYS_VIDEO_STARTED */
    "Videoanruf beendet\0" /* SYS_VIDEO_ENDED */
    "Zugestellt\0" /* DELIVERED */
    "Gelesen\0" /* READ */
    "Ungelesen: %s\0" /* UNREAD */
    "Diesen Chat beenden?\0" /* END_CONFIRM */
    "Ja, beenden\0" /* BTN_END_YES */
    "Weiter chatten\0" /* BTN_END_NO */
    "Gesprächsverlauf herunterladen\0" /* BTN_TRANSCRIPT */
    "Mit Ihrem Referenzcode %s beginnen?\0" /* REF_OFFER */
    "Code akzeptiert\0" /* REF_ACCEPTED */
    "Zurzeit ist niemand da\0" /* AWAY */
    "Nachricht hinterlassen\0" /* BTN_LEAVE_MESSAGE */
    "Hinterlassen Sie eine Nachricht, ein Mitarbeiter antwortet, sobald er zurück ist\0" /* AWAY_STATUS */
    "Wie war Ihr Chat?\0" /* RATE_QUESTION */
    "1 Stern\0" /* RATE_ONE */
    "%s Sterne\0" /* RATE_MANY */
    "Kommentar hinzufügen (optional)\0" /* RATE_COMMENT */
    "Bewertung senden\0" /* BTN_RATE_SEND */
    "Überspringen\0" /* BTN_RATE_SKIP */
    "Danke für Ihre Bewertung\0" /* RATE_THANKS */
    "%s wird angerufen...\0" /* CALL_PHONE_DIALING */
    "Verbunden mit %s\0" /* CALL_PHONE_CONNECTED */
    "Die Gegenseite hat aufgelegt\0" /* REASON_FAR_END */
    "Die Leitung ist besetzt\0" /* REASON_BUSY */
    "Der Anruf wurde abgelehnt\0" /* REASON_DECLINED */
    "Niemand hat abgenommen\0" /* REASON_NO_ANSWER */
    "Der Anruf konnte nicht verbunden werden\0" /* REASON_FAILED */
    "Der Anruf konnte nicht verbunden werden (SIP %s)\0" /* REASON_FAILED_CODE */
    "Die Telefonverbindung wurde unterbrochen\0" /* REASON_GATEWAY */
    "Sie werden mit einem anderen Mitarbeiter verbunden...\0" /* TRANSFERRING */
    "%s hat den Chat weitergeleitet\0" /* SYS_TRANSFERRED */
    "Neue Nachrichten\0" /* NEW_MESSAGES */
    "Code akzeptiert, Sie werden mit %s verbunden\0" /* REF_ACCEPTED_AGENT */
    "In der Warteschleife\0" /* CALL_HOLD */;

/* Portuguese: você (Brazil and Portugal alike), "atendente" for the agent. */
static const char texts_pt[] =
    "Ligue para nós\0" /* LAUNCH_CALL */
    "Converse com a gente\0" /* LAUNCH_CHAT */
    "Videochamada\0" /* LAUNCH_VIDEO */
    "Nenhum atendente disponível no momento\0" /* UNAVAILABLE */
    "Fechar\0" /* CLOSE */
    "Inicie uma conversa com a gente\0" /* CHAT_IDLE */
    "Iniciando a conversa...\0" /* CHAT_STARTING */
    "Aguardando um atendente\0" /* CHAT_WAITING */
    "Conversando com %s\0" /* CHAT_CONNECTED */
    "Conversa encerrada\0" /* CHAT_ENDED */
    "Ligue para um atendente pelo navegador\0" /* CALL_IDLE */
    "Aguardando o microfone...\0" /* CALL_MEDIA */
    "Ligando...\0" /* CALL_DIALING */
    "Aguardando um atendente\0" /* CALL_QUEUED */
    "Chamando...\0" /* CALL_RINGING */
    "Em ligação com %s\0" /* CALL_CONNECTED */
    "Ligação encerrada\0" /* CALL_ENDED */
    "Você é o número %s na fila\0" /* QUEUE */
    "Cerca de %s min\0" /* QUEUE_WAIT */
    "Reconectando...\0" /* RECONNECTING */
    "%s está digitando...\0" /* TYPING */
    "Faça login novamente\0" /* ERR_AUTH */
    "Problema de conexão, tente novamente\0" /* ERR_NETWORK */
    "Algo deu errado, tente novamente\0" /* ERR_SERVER */
    "A solicitação foi recusada\0" /* ERR_REJECTED */
    "Esta conversa foi encerrada\0" /* ERR_ENDED */
    "O acesso ao microfone foi negado. Permita-o no navegador para ligar.\0" /* ERR_MIC_DENIED */
    "Nenhum microfone foi encontrado\0" /* ERR_MIC_MISSING */
    "A conexão de áudio ou vídeo falhou\0" /* ERR_MEDIA */
    "Não foi possível ligar a câmera\0" /* ERR_CAMERA */
    "Digite um número de telefone válido\0" /* ERR_NUMBER */
    "O código de referência tem 8 dígitos\0" /* ERR_REFERENCE */
    "Esse código de referência não foi encontrado\0" /* ERR_REF_NOT_FOUND */
    "Esse código de referência já foi usado\0" /* ERR_REF_USED */
    "Esse código de referência expirou\0" /* ERR_REF_EXPIRED */
    "Esse código de referência foi emitido para outra pessoa\0" /* ERR_REF_EMAIL */
    "As mensagens devem ter de 1 a 8192 caracteres de texto\0" /* ERR_MESSAGE */
    "Nenhum atendente estava disponível\0" /* REASON_NO_AGENT */
    "O atendente não pôde atender a ligação\0" /* REASON_REJECTED */
    "O atendente encerrou a conversa\0" /* REASON_AGENT */
    "Você encerrou a conversa\0" /* REASON_YOU */
    "Iniciar conversa\0" /* BTN_START */
    "Iniciar uma nova conversa\0" /* BTN_NEW_CHAT */
    "Enviar\0" /* BTN_SEND */
    "Encerrar conversa\0" /* BTN_END_CHAT */
    "Ligar\0" /* BTN_CALL */
    "Ligar de novo\0" /* BTN_CALL_AGAIN */
    "Desligar\0" /* BTN_HANGUP */
    "Silenciar\0" /* BTN_MUTE */
    "Ativar microfone\0" /* BTN_UNMUTE */
    "Teclado\0" /* KEYPAD */
    "Dígitos enviados: %s\0" /* DIGITS */
    "Número de telefone\0" /* NUMBER_INPUT */
    "Digite uma mensagem\0" /* CHAT_INPUT */
    "Conversa\0" /* CHAT_LOG */
    "Tem um código de referência?\0" /* REFERENCE_INPUT */
    "Ir\0" /* BTN_REFERENCE */
    "%s convida você para uma videochamada\0" /* VIDEO_OFFER */
    "%s convida você para uma videochamada e vai compartilhar a tela\0" /* VIDEO_OFFER_SCREEN */
    "Entrar no vídeo\0" /* BTN_VIDEO_JOIN */
    "Agora não\0" /* BTN_VIDEO_DECLINE */
    "Ligar a câmera\0" /* BTN_CAMERA_ON */
    "Desligar a câmera\0" /* BTN_CAMERA_OFF */
    "Encerrar vídeo\0" /* BTN_VIDEO_END */
    "Conectando o vídeo...\0" /* VIDEO_JOINING */
    "Vídeo do atendente\0" /* VIDEO_REMOTE */
    "Sua câmera\0" /* VIDEO_LOCAL */
    "Atendente\0" /* AGENT */
    "Você\0" /* YOU */
    "%s entrou na conversa\0" /* SYS_JOINED */
    "%s saiu da conversa\0" /* SYS_LEFT */
    "%s encerrou a conversa\0" /* SYS_ENDED_AGENT */
    "Você encerrou a conversa\0" /* SYS_ENDED_YOU */
    "A conversa foi encerrada\0" /* SYS_ENDED */
    "Videochamada iniciada\0" /* SYS_VIDEO_STARTED */
    "Videochamada encerrada\0" /* SYS_VIDEO_ENDED */
    "Entregue\0" /* DELIVERED */
    "Lida\0" /* READ */
    "Não lidas: %s\0" /* UNREAD */
    "Encerrar esta conversa?\0" /* END_CONFIRM */
    "Sim, encerrar\0" /* BTN_END_YES */
    "Continuar conversando\0" /* BTN_END_NO */
    "Baixar a transcrição\0" /* BTN_TRANSCRIPT */
    "Começar com seu código de referência %s?\0" /* REF_OFFER */
    "Código aceito\0" /* REF_ACCEPTED */
    "Não há ninguém disponível agora\0" /* AWAY */
    "Deixar uma mensagem\0" /* BTN_LEAVE_MESSAGE */
    "Deixe uma mensagem e um atendente responderá quando voltar\0" /* AWAY_STATUS */
    "Como foi a conversa?\0" /* RATE_QUESTION */
    "1 estrela\0" /* RATE_ONE */
    "%s estrelas\0" /* RATE_MANY */
    "Adicione um comentário (opcional)\0" /* RATE_COMMENT */
    "Enviar avaliação\0" /* BTN_RATE_SEND */
    "Pular\0" /* BTN_RATE_SKIP */
    "Obrigado pela sua avaliação\0" /* RATE_THANKS */
    "Ligando para %s...\0" /* CALL_PHONE_DIALING */
    "Conectado a %s\0" /* CALL_PHONE_CONNECTED */
    "A outra pessoa desligou\0" /* REASON_FAR_END */
    "A linha está ocupada\0" /* REASON_BUSY */
    "A chamada foi recusada\0" /* REASON_DECLINED */
    "Ninguém atendeu\0" /* REASON_NO_ANSWER */
    "Não foi possível completar a chamada\0" /* REASON_FAILED */
    "Não foi possível completar a chamada (SIP %s)\0" /* REASON_FAILED_CODE */
    "A ligação ao telefone foi perdida\0" /* REASON_GATEWAY */
    "Estamos transferindo você para outro atendente...\0" /* TRANSFERRING */
    "%s transferiu a conversa\0" /* SYS_TRANSFERRED */
    "Novas mensagens\0" /* NEW_MESSAGES */
    "Código aceito, conectando você com %s\0" /* REF_ACCEPTED_AGENT */
    "Em espera\0" /* CALL_HOLD */;

/* Japanese: polite forms (desu/masu), "担当者" for the agent; counters without plural. */
static const char texts_ja[] =
    "電話で問い合わせる\0" /* LAUNCH_CALL */
    "チャットで問い合わせる\0" /* LAUNCH_CHAT */
    "ビデオチャット\0" /* LAUNCH_VIDEO */
    "現在対応できる担当者がいません\0" /* UNAVAILABLE */
    "閉じる\0" /* CLOSE */
    "チャットでお問い合わせください\0" /* CHAT_IDLE */
    "チャットを開始しています...\0" /* CHAT_STARTING */
    "担当者をお待ちください\0" /* CHAT_WAITING */
    "%sとチャット中\0" /* CHAT_CONNECTED */
    "チャットは終了しました\0" /* CHAT_ENDED */
    "ブラウザから担当者に電話できます\0" /* CALL_IDLE */
    "マイクの許可を待っています...\0" /* CALL_MEDIA */
    "発信中...\0" /* CALL_DIALING */
    "担当者をお待ちください\0" /* CALL_QUEUED */
    "呼び出し中...\0" /* CALL_RINGING */
    "%sと通話中\0" /* CALL_CONNECTED */
    "通話は終了しました\0" /* CALL_ENDED */
    "あなたの順番は%s番目です\0" /* QUEUE */
    "約%s分\0" /* QUEUE_WAIT */
    "再接続しています...\0" /* RECONNECTING */
    "%sが入力中...\0" /* TYPING */
    "もう一度ログインしてください\0" /* ERR_AUTH */
    "ネットワークに問題があります。もう一度お試しください\0" /* ERR_NETWORK */
    "問題が発生しました。もう一度お試しください\0" /* ERR_SERVER */
    "リクエストは拒否されました\0" /* ERR_REJECTED */
    "この会話は終了しています\0" /* ERR_ENDED */
    "マイクへのアクセスが拒否されました。通話するにはブラウザで許可してください。\0" /* ERR_MIC_DENIED */
    "マイクが見つかりません\0" /* ERR_MIC_MISSING */
    "音声またはビデオの接続に失敗しました\0" /* ERR_MEDIA */
    "カメラをオンにできませんでした\0" /* ERR_CAMERA */
    "有効な電話番号を入力してください\0" /* ERR_NUMBER */
    "参照コードは8桁です\0" /* ERR_REFERENCE */
    "その参照コードは見つかりません\0" /* ERR_REF_NOT_FOUND */
    "その参照コードはすでに使用されています\0" /* ERR_REF_USED */
    "その参照コードは有効期限が切れています\0" /* ERR_REF_EXPIRED */
    "その参照コードは別の方に発行されています\0" /* ERR_REF_EMAIL */
    "メッセージは1〜8192文字のテキストで入力してください\0" /* ERR_MESSAGE */
    "対応できる担当者がいませんでした\0" /* REASON_NO_AGENT */
    "担当者が通話に応答できませんでした\0" /* REASON_REJECTED */
    "担当者が会話を終了しました\0" /* REASON_AGENT */
    "会話を終了しました\0" /* REASON_YOU */
    "チャットを開始\0" /* BTN_START */
    "新しいチャットを開始\0" /* BTN_NEW_CHAT */
    "送信\0" /* BTN_SEND */
    "チャットを終了\0" /* BTN_END_CHAT */
    "発信\0" /* BTN_CALL */
    "もう一度発信\0" /* BTN_CALL_AGAIN */
    "通話を終了\0" /* BTN_HANGUP */
    "ミュート\0" /* BTN_MUTE */
    "ミュート解除\0" /* BTN_UNMUTE */
    "キーパッド\0" /* KEYPAD */
    "送信した番号: %s\0" /* DIGITS */
    "電話番号\0" /* NUMBER_INPUT */
    "メッセージを入力\0" /* CHAT_INPUT */
    "会話\0" /* CHAT_LOG */
    "参照コードをお持ちですか?\0" /* REFERENCE_INPUT */
    "送信\0" /* BTN_REFERENCE */
    "%sからビデオ通話の招待が届いています\0" /* VIDEO_OFFER */
    "%sからビデオ通話の招待が届いています(画面共有あり)\0" /* VIDEO_OFFER_SCREEN */
    "ビデオに参加\0" /* BTN_VIDEO_JOIN */
    "今はしない\0" /* BTN_VIDEO_DECLINE */
    "カメラをオン\0" /* BTN_CAMERA_ON */
    "カメラをオフ\0" /* BTN_CAMERA_OFF */
    "ビデオを終了\0" /* BTN_VIDEO_END */
    "ビデオに接続しています...\0" /* VIDEO_JOINING */
    "担当者のビデオ\0" /* VIDEO_REMOTE */
    "あなたのカメラ\0" /* VIDEO_LOCAL */
    "担当者\0" /* AGENT */
    "あなた\0" /* YOU */
    "%sがチャットに参加しました\0" /* SYS_JOINED */
    "%sがチャットから退出しました\0" /* SYS_LEFT */
    "%sがチャットを終了しました\0" /* SYS_ENDED_AGENT */
    "チャットを終了しました\0" /* SYS_ENDED_YOU */
    "チャットは終了しました\0" /* SYS_ENDED */
    "ビデオ通話を開始しました\0" /* SYS_VIDEO_STARTED */
    "ビデオ通話を終了しました\0" /* SYS_VIDEO_ENDED */
    "送信済み\0" /* DELIVERED */
    "既読\0" /* READ */
    "未読 %s 件\0" /* UNREAD */
    "このチャットを終了しますか?\0" /* END_CONFIRM */
    "はい、終了します\0" /* BTN_END_YES */
    "チャットを続ける\0" /* BTN_END_NO */
    "会話履歴をダウンロード\0" /* BTN_TRANSCRIPT */
    "参照コード%sで開始しますか?\0" /* REF_OFFER */
    "コードを確認しました\0" /* REF_ACCEPTED */
    "現在対応できる者がおりません\0" /* AWAY */
    "メッセージを残す\0" /* BTN_LEAVE_MESSAGE */
    "メッセージを残していただければ、担当者が戻りしだいお返事します\0" /* AWAY_STATUS */
    "チャットはいかがでしたか?\0" /* RATE_QUESTION */
    "星1つ\0" /* RATE_ONE */
    "星%sつ\0" /* RATE_MANY */
    "コメント(任意)\0" /* RATE_COMMENT */
    "評価を送信\0" /* BTN_RATE_SEND */
    "スキップ\0" /* BTN_RATE_SKIP */
    "ご評価ありがとうございます\0" /* RATE_THANKS */
    "%s に発信中...\0" /* CALL_PHONE_DIALING */
    "%s と接続しました\0" /* CALL_PHONE_CONNECTED */
    "相手が電話を切りました\0" /* REASON_FAR_END */
    "話し中です\0" /* REASON_BUSY */
    "通話が拒否されました\0" /* REASON_DECLINED */
    "応答がありませんでした\0" /* REASON_NO_ANSWER */
    "通話を接続できませんでした\0" /* REASON_FAILED */
    "通話を接続できませんでした（SIP %s）\0" /* REASON_FAILED_CODE */
    "電話回線の接続が切れました\0" /* REASON_GATEWAY */
    "別の担当者におつなぎしています...\0" /* TRANSFERRING */
    "%sがチャットを転送しました\0" /* SYS_TRANSFERRED */
    "新着メッセージ\0" /* NEW_MESSAGES */
    "コードを確認しました。%sにおつなぎします\0" /* REF_ACCEPTED_AGENT */
    "保留中です\0" /* CALL_HOLD */;

static const struct {
    const char *text;
    size_t len;
} tables[WG_LOCALE_COUNT] = {
    [WG_LOCALE_EN] = {texts_en, sizeof(texts_en) - 1},
    [WG_LOCALE_ES] = {texts_es, sizeof(texts_es) - 1},
    [WG_LOCALE_FR] = {texts_fr, sizeof(texts_fr) - 1},
    [WG_LOCALE_DE] = {texts_de, sizeof(texts_de) - 1},
    [WG_LOCALE_PT] = {texts_pt, sizeof(texts_pt) - 1},
    [WG_LOCALE_JA] = {texts_ja, sizeof(texts_ja) - 1},
};

const char *wg_i18n_builtin(enum wg_locale locale, size_t *len)
{
    if ((unsigned)locale >= WG_LOCALE_COUNT || !tables[locale].text) {
        *len = 0;
        return NULL;
    }
    *len = tables[locale].len;
    return tables[locale].text;
}
