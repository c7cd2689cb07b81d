//! E-mail that leaves: one notification of the outbox
//! ([`wink_store::notifications::Notification`]) written as a mail and handed to the configured
//! SMTP relay (`[smtp]`, see [`MailConfig`]).
//!
//! The outbox's delivery worker calls [`Mailer::deliver`] for each row it leases and decides
//! from the [`DeliveryFailure`] whether to try again later or give up. Without `[smtp]` the
//! server has no mailer and the outbox keeps every notification.
//!
//! Each mail is `multipart/alternative` (plain text and HTML saying the same thing, see
//! [`templates`]), in the booking's language where a template exists (`wink_domain::mail`); a
//! booking's confirmation carries its PDF. Its `Message-ID` is made from the notification's id, so
//! a mail sent twice (the relay accepted it but the answer was lost) is recognisable as one.

mod compose;
pub mod config;
pub mod templates;

use std::time::{Duration, SystemTime};

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use wink_store::notifications::Notification;

pub use compose::Composed;
pub use config::{MailConfig, Password, TlsMode};

use crate::state::AppState;

use crate::outbound::DeliveryFailure;

/// Writes notifications as mail and sends them through the configured relay.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// Replies of mails that name nobody better.
    reply_to: Option<Mailbox>,
    /// Where the relay is, for messages (never the credentials).
    relay: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("relay", &self.relay)
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// A mailer for `config`; refused when an address or the CA file is unusable. Connects to
    /// nothing yet: the relay is first reached by the first delivery.
    pub fn new(config: &MailConfig) -> Result<Mailer, String> {
        let from: Mailbox = config
            .from
            .parse()
            .map_err(|e| format!("[smtp] from {:?}: {e}", config.from))?;
        let reply_to = config
            .reply_to
            .as_deref()
            .map(|r| {
                r.parse::<Mailbox>()
                    .map_err(|e| format!("[smtp] reply_to {r:?}: {e}"))
            })
            .transpose()?;
        let host = config.host.trim();
        if host.is_empty() {
            return Err("[smtp] host must name the relay".into());
        }
        let tls = match config.tls {
            TlsMode::None => Tls::None,
            mode => {
                let mut parameters = TlsParameters::builder(host.to_string());
                if let Some(path) = &config.ca_file {
                    let pem = std::fs::read(path)
                        .map_err(|e| format!("[smtp] ca_file {}: {e}", path.display()))?;
                    let ca = Certificate::from_pem(&pem)
                        .map_err(|e| format!("[smtp] ca_file {}: {e}", path.display()))?;
                    parameters = parameters.add_root_certificate(ca);
                }
                let parameters = parameters
                    .build_rustls()
                    .map_err(|e| format!("[smtp] TLS for {host}: {e}"))?;
                if mode == TlsMode::Tls {
                    Tls::Wrapper(parameters)
                } else {
                    Tls::Required(parameters)
                }
            }
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(config.port())
            .tls(tls)
            .timeout(Some(Duration::from_secs(config.timeout_seconds.max(1))));
        if let Some(user) = &config.username {
            let password = config
                .password
                .as_ref()
                .map(|p| p.0.clone())
                .unwrap_or_default();
            builder = builder.credentials(Credentials::new(user.clone(), password));
        }
        Ok(Mailer {
            transport: builder.build(),
            from,
            reply_to,
            relay: format!("{host}:{}", config.port()),
        })
    }

    /// Writes `note` as a mail and hands it to the relay. `Ok` once the relay accepted it.
    pub async fn deliver(
        &self,
        state: &AppState,
        note: &Notification,
    ) -> Result<(), DeliveryFailure> {
        let composed = compose::compose(state, note).await?;
        let message = self.message(note, &composed, SystemTime::from(state.now()))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| classify(&e, &self.relay))
    }

    fn message(
        &self,
        note: &Notification,
        c: &Composed,
        date: SystemTime,
    ) -> Result<Message, DeliveryFailure> {
        let letter = &c.letter;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(c.to.clone())
            .subject(letter.subject.clone())
            .date(date)
            .message_id(Some(format!("<{}@{}>", note.id, self.from.email.domain())));
        if let Some(reply_to) = c.reply_to.as_ref().or(self.reply_to.as_ref()) {
            builder = builder.reply_to(reply_to.clone());
        }
        let alternative =
            MultiPart::alternative_plain_html(letter.text.clone(), letter.html.clone());
        let body = match &c.attachment {
            None => alternative,
            Some((name, pdf)) => MultiPart::mixed().multipart(alternative).singlepart(
                Attachment::new(name.clone()).body(
                    pdf.clone(),
                    ContentType::parse("application/pdf").expect("a MIME type"),
                ),
            ),
        };
        builder
            .multipart(body)
            .map_err(|e| DeliveryFailure::Permanent(format!("writing the mail: {e}")))
    }
}

/// What a failed exchange with the relay means for the notification.
fn classify(e: &lettre::transport::smtp::Error, relay: &str) -> DeliveryFailure {
    let code = e.status().map(|c| c.to_string());
    // Refused credentials are the configuration's fault, not the mail's: once fixed, the
    // mail goes.
    let credentials = matches!(code.as_deref(), Some("530" | "534" | "535"));
    if e.is_permanent() && !credentials {
        DeliveryFailure::Permanent(format!("the relay {relay} refused the mail: {e}"))
    } else {
        DeliveryFailure::Retry(format!("the relay {relay}: {e}"))
    }
}

/// The worker's mail sender is this mailer.
impl crate::outbound::MailSender for Mailer {
    fn deliver<'a>(
        &'a self,
        state: &'a AppState,
        note: &'a Notification,
    ) -> futures_util::future::BoxFuture<'a, Result<(), DeliveryFailure>> {
        Box::pin(Mailer::deliver(self, state, note))
    }
}
