import { classifyKeyword, foldWords, type KeywordIntent } from './keywords';

/** What an opt-out covers: everything on the channel (STOP), or marketing only ("stop the promotions"). */
export type OptOutScope = 'all' | 'marketing';

/**
 * What an inbound message asks for, and the rule that decided it (a stable id kept with the
 * consent record, so a decision can be explained later):
 * - `keyword`: one of Twilio's single-word keywords (STOP, START, HELP...), as today;
 * - `opt-out`: a request in plain words not to be messaged any more (or no more marketing);
 * - `ambiguous`: may mean "stop", may not ("no more", "how do I stop this?"): asked once to reply STOP;
 * - `mention`: uses the word without asking ("don't stop", "bus stop", "non-stop deals");
 * - `none`: nothing to do with opting out.
 */
export type MessageIntent =
  | { kind: 'keyword'; keyword: KeywordIntent; rule: string }
  | { kind: 'opt-out'; scope: OptOutScope; rule: string }
  | { kind: 'ambiguous'; rule: string }
  | { kind: 'mention'; rule: string }
  | { kind: 'none' };

type Rule = readonly [id: string, pattern: RegExp];

// Shared word lists (text as foldWords gives it: lower case, no accents, punctuation as spaces).
const NOT =
  '(?:dont|don t|do not|never|cant|can t|cannot|can not|couldnt|couldn t|wont|won t|wouldnt|wouldn t|didnt|didn t|shouldnt|shouldn t|not)';
const EN_MESSAGES = '(?:texts?|txts?|messages?|msgs?|sms|smses|notifications?|alerts?|whatsapps?)';
const EN_CONTACTING =
  '(?:texting|txting|messaging|msging|sending|contacting|emailing|e mailing|spamming|bothering|harassing|bugging|pestering|writing|receiving|getting)';
const EN_DETERMINER =
  '(?: (?:the|these|those|your|ur|this|all|all the|all these|all your|all of these|all of the|all of your|any|any more|any of your))?';
const EN_MARKETING =
  '(?:promotions?|promos?|promotional (?:texts|messages)|marketing(?: texts| messages)?|ads|adverts?|advertising|advertisements?|offers|deals|coupons|newsletters?|sales texts)';
const FILLER =
  '(?:please|pls|plz|just|now|it|this|that|already|immediately|asap|right|ok|okay|thanks|thank|you|thx|ty|seriously|omg|guys|stop)';
const rx = (source: string) => new RegExp(source);

/**
 * Words that only mention stopping, cut out of the text before the opt-out rules read it: "don't
 * stop", "can't stop laughing", "bus stop", "non-stop", "stop by the store". What is left is read
 * on, so "bus stop. stop texting me" still opts out.
 */
const MENTIONS: readonly Rule[] = [
  [
    'mention.negated',
    rx(
      `\\b${NOT}(?: (?:want to|wanna|ever|really|just|please))? (?:stop|unsubscribe|opt out|quit|cancel)\\b` +
        '|\\bno (?:pares|paren|pare|dejes de|dejen de)\\b|\\bnao (?:pare|parem|pares)\\b' +
        '|\\bn (?:arrete|arretez|arretes) pas\\b|\\bne (?:t |vous )?(?:arrete|arretez|arretes) pas\\b' +
        '|\\b(?:hor|hort|horen|hoer|hoert|hoeren)(?: sie| ihr)? nicht auf\\b|\\bnicht aufhoren\\b',
    ),
  ],
  [
    'mention.compound',
    rx(
      '\\b(?:bus|pit|truck|rest|full|one|last|next|first|final|tram|train|metro|subway|shuttle|whistle|the|a|my|your|our|non) stop\\b' +
        '|\\bstop (?:sign|light|lights|watch|motion|loss|gap|word|words|band)\\b|\\bnonstop\\b|\\bstopover\\b' +
        '|\\bstop(?:s|ped|ping)? (?:by|over|in|off|at(?! once))\\b',
    ),
  ],
  ['mention.doing', rx(`\\bstop(?:s|ped|ping)? (?!${EN_CONTACTING}\\b)[a-z]+ing\\b`)],
];

/**
 * Questions about how to stop: the clarifying reply ("Reply STOP to stop all messages") is their
 * answer. Read before the opt-out rules, and only when the question is the whole message.
 */
const QUESTIONS: readonly Rule[] = [
  [
    'question.how-to-stop',
    rx(
      '^(?:hi |hello |hey )?(?:how|what) (?:do|can|to|should|would)(?: i| we)? (?:stop|unsubscribe|opt out|get off|turn off)(?: (?:this|these|it|them|that|the texts|the messages|texts|messages|these texts|these messages|receiving these|receiving texts|receiving messages|getting these))?$' +
        '|^(?:como|cómo) (?:me doy de baja|dejo de recibir(?: (?:mensajes|esto|estos mensajes))?|cancelo|(?:faco|faço) para (?:parar|sair|cancelar)|paro|saio)$' +
        '|^comment (?:me desabonner|arreter|arreter ca|me desinscrire|faire pour arreter)$' +
        '|^wie (?:kann ich (?:mich )?)?(?:abmelden|abbestellen|aufhoren|das abbestellen|mich abmelden)$',
    ),
  ],
];

/**
 * Requests in plain words, in English, Spanish, French, Portuguese and German; marketing-only
 * ones first, so "stop the promotions" is not read as "stop everything". 47 CFR 64.1200(a)(10):
 * consent is revoked "by using any reasonable method to clearly express a desire not to receive
 * further calls or text messages" (https://www.govinfo.gov/content/pkg/FR-2024-03-05/html/2024-04587.htm).
 */
const OPT_OUTS: ReadonlyArray<readonly [id: string, scope: OptOutScope, pattern: RegExp]> = [
  [
    'en.marketing',
    'marketing',
    rx(
      `\\b(?:stop|no more|quit|end|cancel|unsubscribe(?: me)?(?: from)?|opt (?:me )?out(?: of)?|${NOT} (?:send|text)(?: me)?|${NOT} want(?: any(?: more)?| more)?)(?: (?:sending|texting))?(?: me)?${EN_DETERMINER} ${EN_MARKETING}\\b`,
    ),
  ],
  [
    'es.marketing',
    'marketing',
    rx(
      '\\b(?:no (?:mas|quiero(?: recibir)?(?: mas)?)|(?:deja|dejen|deje|dejar) de (?:enviar|mandar)(?:me)?|basta de|cancelar)(?: (?:las|los|sus|tus|mas))? (?:promociones|promocion|publicidad|ofertas|anuncios|propaganda)\\b',
    ),
  ],
  [
    'fr.marketing',
    'marketing',
    rx(
      '\\b(?:plus de|pas de|arretez|arrete|arreter|stop|je ne veux plus(?: recevoir)?(?: de| vos| les| des)?|desabonnez moi(?: des| de la)?)(?: (?:les|vos|tes|des|de|la|aux))? (?:pubs?|publicites?|promos?|promotions?|offres|newsletters?|marketing)\\b',
    ),
  ],
  [
    'pt.marketing',
    'marketing',
    rx(
      '\\b(?:nao (?:quero|desejo)(?: mais)?(?: receber)?|chega de|parem?(?: de enviar| com)?|sem mais)(?: (?:as|os|suas|seus|essas|esses))? (?:promocoes|promocao|propagandas?|ofertas|anuncios|publicidade|marketing)\\b',
    ),
  ],
  [
    'de.marketing',
    'marketing',
    rx(
      '\\bkeine (?:werbung|angebote|werbenachrichten|werbe sms|newsletter|promotions?|aktionen|marketing)(?: sms| nachrichten)?(?: mehr)?\\b|\\b(?:werbung|newsletter) (?:abbestellen|abmelden)\\b',
    ),
  ],
  ['en.stop-polite', 'all', rx(`^(?:${FILLER} )*stop(?: ${FILLER})*$`)],
  ['en.stop-contacting', 'all', rx(`\\b(?:stop|quit|cease|halt)(?: (?:fucking|freaking|effing))? ${EN_CONTACTING}\\b`)],
  ['en.stop-messages', 'all', rx(`\\b(?:stop|quit|end|cancel|halt)(?: (?:sending|texting))?(?: me)?${EN_DETERMINER} ${EN_MESSAGES}\\b`)],
  ['en.dont-contact', 'all', rx(`\\b${NOT} (?:ever )?(?:text|txt|message|msg|sms|contact|bother|spam) (?:me|this number|my number)\\b`)],
  ['en.dont-send', 'all', rx(`\\b${NOT} (?:send|want)(?: me)?(?: any)?(?: more| anymore)?${EN_DETERMINER} ${EN_MESSAGES}\\b`)],
  ['en.no-more-messages', 'all', rx(`\\bno more ${EN_MESSAGES}\\b|\\bno more texting\\b|\\b${EN_MESSAGES} no more\\b`)],
  ['en.unsubscribe', 'all', rx('\\b(?:unsubscribe|unsub|opt out|opt me out|optout|sign me out|unenroll|unenrol|unregister|deregister)\\b')],
  [
    'en.remove-me',
    'all',
    rx(
      '\\b(?:remove|delete|erase|drop) (?:me|my (?:number|phone number|phone|cell|cell number))\\b' +
        '|\\b(?:take|get|put|cross|scratch) (?:me|my (?:number|phone number|phone|cell)) (?:off|out of (?:your|the|this|ur|that))\\b',
    ),
  ],
  ['en.leave-me-alone', 'all', rx('\\bleave me alone\\b|\\blose my number\\b|\\bcancel (?:my |the |this )?subscription\\b')],
  [
    'es.stop-sending',
    'all',
    rx('\\b(?:deja|dejen|deje|dejar|dejad|para|paren|pare|parar) de (?:enviar|mandar|escribir|contactar|molestar)(?:me)?\\b'),
  ],
  [
    'es.no-more-messages',
    'all',
    rx(
      '\\b(?:no|ya no) (?:mas|(?:quiero|deseo)(?: recibir)?(?: mas)?(?: sus| tus| estos| los)?) (?:mensajes|sms|textos|msjs?|whatsapps?|notificaciones)\\b',
    ),
  ],
  [
    'es.dont-send',
    'all',
    rx(
      '\\bno me (?:envies|envie|envien|mandes|mande|manden|escribas|escriba|escriban|contactes|contacte|contacten|molestes|moleste|molesten)\\b',
    ),
  ],
  [
    'es.unsubscribe',
    'all',
    rx(
      '\\b(?:dar(?:me)?|dame|denme|deme|doy|darse) de baja\\b|^baja(?: por favor)?$|\\b(?:desuscribir(?:me)?|desuscribeme|desuscribanme|(?:cancelar|anular) (?:mi |la )?suscripcion)\\b',
    ),
  ],
  [
    'es.remove-me',
    'all',
    rx(
      '\\b(?:eliminen|borren|saquen|quiten)(?: me| mi numero)? de (?:la|su|tu|vuestra|esta) lista\\b|\\b(?:eliminenme|eliminame|borrenme|borrame|saquenme|sacame|quitenme|quitame)\\b',
    ),
  ],
  ['es.stop-word', 'all', rx('^(?:alto|parar|paren|detener|detente|detenganse|cancelar)(?: por favor| ya)?$')],
  ['fr.stop-word', 'all', rx('^(?:arret|arrete|arretez|arreter|stoppez|cessez|halte)(?: svp| s il vous plait| merci| maintenant| tout)?$')],
  [
    'fr.stop-sending',
    'all',
    rx(
      '\\b(?:arretez|arrete|arretes|arreter|cessez|cesser|stoppez) (?:de |d )?(?:m |me |nous )?(?:envoyer|ecrire|contacter|harceler|spammer|deranger|texter)\\b',
    ),
  ],
  [
    'fr.stop-messages',
    'all',
    rx('\\b(?:arretez|arrete|arreter|cessez|stop|stoppez)(?: (?:les|vos|ces|tes))? (?:messages|sms|textos|texto|notifications|envois)\\b'),
  ],
  [
    'fr.dont-send',
    'all',
    rx(
      '\\bne (?:m |me )?(?:envoyez|envoie|envoyer|ecrivez|ecris|contactez|contacte) plus\\b|\\bne plus (?:m )?(?:envoyer|recevoir|contacter|ecrire)\\b',
    ),
  ],
  [
    'fr.no-more-messages',
    'all',
    rx('\\b(?:plus de|pas de|je ne veux plus(?: recevoir)?(?: de| vos| les| ces| des)?) (?:messages|sms|textos|texto|notifications)\\b'),
  ],
  [
    'fr.unsubscribe',
    'all',
    rx('\\b(?:desabonner|desabonnez|desabonne|desinscrire|desinscrivez|desinscris|desinscription|desabonnement)\\b'),
  ],
  ['fr.remove-me', 'all', rx('\\b(?:retirez|retire|supprimez|supprime|enlevez|enleve|effacez|rayez) (?:moi|mon numero)\\b')],
  ['pt.stop-word', 'all', rx('^(?:pare|parem|sair|chega de mensagens)(?: por favor| obrigad[oa]| ja)?$')],
  ['pt.stop-sending', 'all', rx('\\b(?:pare|parem|parar) de (?:me )?(?:enviar|mandar|escrever|contatar|contactar|incomodar)\\b')],
  [
    'pt.dont-send',
    'all',
    rx(
      '\\bnao (?:me )?(?:envie|enviem|mande|mandem|contate|contatem|escreva|escrevam|incomode|incomodem) mais\\b|\\bnao (?:quero|desejo) (?:mais )?receber\\b',
    ),
  ],
  ['pt.no-more-messages', 'all', rx('\\b(?:chega de|sem mais|nao quero(?: mais)?) (?:mensagens|sms|textos|msgs?|notificacoes)\\b')],
  [
    'pt.unsubscribe',
    'all',
    rx(
      '\\b(?:descadastrar|descadastre|descadastra|descadastrem|descadastro|cancelar (?:minha |a )?(?:inscricao|assinatura)|sair da lista|(?:me )?(?:tire|tirem|remova|removam) (?:me )?da lista|(?:remover|remova|removam) (?:o )?meu numero)\\b',
    ),
  ],
  ['de.stop-word', 'all', rx('^(?:stopp|aufhoren|aufhoeren|abmelden|abbestellen|austragen)(?: bitte| danke| jetzt| sofort)?$')],
  [
    'de.no-more-messages',
    'all',
    rx('\\bkeine (?:weiteren )?(?:sms|nachrichten|textnachrichten|mitteilungen|whatsapps?|benachrichtigungen|texte)(?: mehr)?\\b'),
  ],
  [
    'de.stop-sending',
    'all',
    rx(
      '\\b(?:horen|hoeren|hort|hoert|hor|hoer) (?:sie |ihr )?(?:bitte )?auf(?: mir)?(?: zu)? (?:schreiben|simsen|texten|senden|schicken|kontaktieren|nachrichten|sms)\\b' +
        '|\\b(?:nicht mehr (?:schreiben|anschreiben|kontaktieren|simsen)|schreiben sie mir nicht mehr|schick(?:en sie|t)? mir (?:keine|nichts) mehr)\\b',
    ),
  ],
  [
    'de.unsubscribe',
    'all',
    rx(
      '\\b(?:abmelden|abbestellen|austragen|abmeldung|(?:tragen sie|trag|tragt) mich aus|(?:entfernen sie|entfernt|entferne) (?:mich|meine nummer)|(?:loschen sie|loscht|losche) (?:mich|meine nummer))\\b',
    ),
  ],
];

/**
 * An opt-out asked with a time or a frequency ("stop texting me so early") asks for fewer or later
 * messages, not none: asked once to reply STOP instead.
 */
const QUALIFIED = rx(
  '\\b(?:so (?:early|late|often|much|many)|this (?:early|late)|at night|in the (?:morning|evening|night)|on (?:weekends|sundays|saturdays)|(?:before|after|until|till) \\d|every (?:day|hour)|during (?:work|the day)' +
    '|tan temprano|por la noche|de madrugada|si tot|la nuit|tao cedo|de noite|a noite|so fruh|nachts|am wochenende)\\b',
);

/** Short replies that may or may not mean stop: "no more", "enough", "basta", "genug". */
const AMBIGUOUS: readonly Rule[] = [
  ['en.no-more', rx('^(?:no more|enough|enough already|thats enough|that s enough|stop what)(?: please| thanks| now)?$')],
  ['es.no-more', rx('^(?:no mas|basta|ya basta|suficiente|para)(?: por favor| gracias| ya)?$')],
  ['fr.no-more', rx('^(?:assez|ca suffit|c est assez|plus jamais|plus rien|c est bon)(?: merci| svp| s il vous plait)?$')],
  ['pt.no-more', rx('^(?:chega|ja chega|basta|nao mais|sem mais)(?: por favor| obrigad[oa])?$')],
  ['de.no-more', rx('^(?:genug|es reicht|nicht mehr|nie wieder|schluss)(?: bitte| danke| jetzt)?$')],
];

/** "stop" left in a short message none of the rules above read ("Stop. Who is this?"): asked once. */
const SHORT_STOP = rx('\\b(?:stop|stopp|arrete|arretez|pare|parem)\\b');
const SHORT_STOP_WORDS = 5;

const firstMatch = (rules: readonly Rule[], text: string) => rules.find(([, pattern]) => pattern.test(text))?.[0];

/**
 * What an inbound message (SMS, WhatsApp, later Conversations) asks for about consent, by fixed
 * rules only (no network, no model): the same text always gets the same answer and rule. A
 * message that is one keyword is that keyword, whatever else matches; otherwise mentions are cut
 * out, then questions, opt-outs (marketing-only first) and ambiguous replies are read in order.
 */
export function classifyIntent(body: string | undefined): MessageIntent {
  const keyword = classifyKeyword(body);
  if (keyword) return { kind: 'keyword', keyword, rule: `keyword.${foldWords(body ?? '')}` };
  let text = foldWords(body ?? '');
  let mention: string | undefined;
  for (const [id, pattern] of MENTIONS) {
    const cut = text.replace(new RegExp(pattern.source, 'g'), ' ');
    if (cut !== text) mention ??= id;
    text = cut.replace(/\s+/g, ' ').trim();
  }
  const question = firstMatch(QUESTIONS, text);
  if (question) return { kind: 'ambiguous', rule: question };
  const optOut = OPT_OUTS.find(([, , pattern]) => pattern.test(text));
  if (optOut) {
    const [rule, scope] = optOut;
    return scope === 'all' && QUALIFIED.test(text) ? { kind: 'ambiguous', rule: `${rule}+qualified` } : { kind: 'opt-out', scope, rule };
  }
  const ambiguous = firstMatch(AMBIGUOUS, text);
  if (ambiguous) return { kind: 'ambiguous', rule: ambiguous };
  if (SHORT_STOP.test(text) && text.split(' ').length <= SHORT_STOP_WORDS) return { kind: 'ambiguous', rule: 'any.short-stop' };
  return mention ? { kind: 'mention', rule: mention } : { kind: 'none' };
}
