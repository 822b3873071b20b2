import fc from 'fast-check';
import { classifyKeyword } from '../../../src/lib/messaging/keywords';
import { classifyIntent, type MessageIntent } from '../../../src/lib/messaging/opt-out-intent';

/** The class a message gets, as the corpus labels it. */
type Label = 'opt-out' | 'marketing' | 'ambiguous' | 'nothing' | 'keyword';

const labelOf = (intent: MessageIntent): Label =>
  intent.kind === 'opt-out'
    ? intent.scope === 'marketing'
      ? 'marketing'
      : 'opt-out'
    : intent.kind === 'ambiguous'
      ? 'ambiguous'
      : intent.kind === 'keyword'
        ? 'keyword'
        : 'nothing';

/** Labelled messages per language: what a reasonable reader takes each for. */
const CORPUS: Record<string, ReadonlyArray<readonly [string, Label]>> = {
  English: [
    ['please stop texting me', 'opt-out'],
    ['Stop texting me!!', 'opt-out'],
    ['stop sending me these messages', 'opt-out'],
    ['Stop sending', 'opt-out'],
    ['STOP MESSAGING ME', 'opt-out'],
    ['stop contacting me', 'opt-out'],
    ['Stop it', 'opt-out'],
    ['stop please', 'opt-out'],
    ['Please stop.', 'opt-out'],
    ['just stop', 'opt-out'],
    ['stop stop stop', 'opt-out'],
    ['unsubscribe me', 'opt-out'],
    ['Unsubscribe me please 🙏', 'opt-out'],
    ['opt out', 'opt-out'],
    ['Opt-out', 'opt-out'],
    ['opt me out', 'opt-out'],
    ['remove me from your list', 'opt-out'],
    ['Remove my number', 'opt-out'],
    ['take me off your list', 'opt-out'],
    ['delete my number please', 'opt-out'],
    ["don't text me anymore", 'opt-out'],
    ['Do not contact me again', 'opt-out'],
    ['dont message me', 'opt-out'],
    ["I don't want these texts", 'opt-out'],
    ["i don't want any more messages", 'opt-out'],
    ['no more texts', 'opt-out'],
    ['No more messages please', 'opt-out'],
    ['leave me alone', 'opt-out'],
    ['lose my number', 'opt-out'],
    ['cancel my subscription', 'opt-out'],
    ['stop all texts', 'opt-out'],
    ['Stop these notifications', 'opt-out'],
    ['quit texting me', 'opt-out'],
    ['I want to stop receiving these', 'opt-out'],
    ['Bus stop. Now stop texting me', 'opt-out'],
    ['stop the promotions', 'marketing'],
    ['no more marketing', 'marketing'],
    ['stop sending me promos', 'marketing'],
    ['unsubscribe from marketing', 'marketing'],
    ["don't send me ads", 'marketing'],
    ['No more offers please', 'marketing'],
    ['stop?', 'keyword'],
    ['no more', 'ambiguous'],
    ['enough', 'ambiguous'],
    ['Stop what?', 'ambiguous'],
    ['how do I stop these texts?', 'ambiguous'],
    ['How do I unsubscribe?', 'ambiguous'],
    ['Stop texting me so early please', 'ambiguous'],
    ['stop messaging me at night', 'ambiguous'],
    ['Stop. Who is this?', 'ambiguous'],
    ["don't stop", 'nothing'],
    ['Please don’t stop the reminders, they help', 'nothing'],
    ['bus stop', 'nothing'],
    ["I'm at the bus stop", 'nothing'],
    ["can't stop laughing 😂", 'nothing'],
    ['non-stop', 'nothing'],
    ['Non-stop deals all week!', 'nothing'],
    ['nonstop flight', 'nothing'],
    ['I will stop by the store later', 'nothing'],
    ['stop worrying, all good', 'nothing'],
    ['can you stop at the pharmacy', 'nothing'],
    ["I don't want to unsubscribe", 'nothing'],
    ['never stop', 'nothing'],
    ['Is my order ready?', 'nothing'],
    ['Thanks, see you tomorrow', 'nothing'],
    ['cancel my appointment', 'nothing'],
    ['What time do you close?', 'nothing'],
    ['The end of the month works', 'nothing'],
    ['Yes please send the invoice', 'nothing'],
  ],
  Spanish: [
    ['no más mensajes', 'opt-out'],
    ['No mas mensajes por favor', 'opt-out'],
    ['deja de enviarme mensajes', 'opt-out'],
    ['Dejen de escribirme', 'opt-out'],
    ['para de mandarme', 'opt-out'],
    ['no me envíes más', 'opt-out'],
    ['No me molesten', 'opt-out'],
    ['quiero darme de baja', 'opt-out'],
    ['Baja', 'opt-out'],
    ['dar de baja', 'opt-out'],
    ['cancelar suscripción', 'opt-out'],
    ['ya no quiero recibir mensajes', 'opt-out'],
    ['sáquenme de su lista', 'opt-out'],
    ['bórrenme', 'opt-out'],
    ['Alto', 'opt-out'],
    ['cancelar', 'opt-out'],
    ['no más promociones', 'marketing'],
    ['no quiero publicidad', 'marketing'],
    ['dejen de enviar ofertas', 'marketing'],
    ['no más', 'ambiguous'],
    ['basta', 'ambiguous'],
    ['Ya basta!', 'ambiguous'],
    ['para', 'ambiguous'],
    ['¿Cómo me doy de baja?', 'ambiguous'],
    ['no pares', 'nothing'],
    ['la parada del autobús', 'nothing'],
    ['gracias, nos vemos mañana', 'nothing'],
    ['para mañana por favor', 'nothing'],
    ['¿Está listo mi pedido?', 'nothing'],
    ['no hay problema', 'nothing'],
  ],
  French: [
    ['arrêtez', 'opt-out'],
    ['Arrête!', 'opt-out'],
    ["arrêtez de m'envoyer des messages", 'opt-out'],
    ["Arrêtez de m'écrire", 'opt-out'],
    ['arrêtez les SMS', 'opt-out'],
    ["ne m'envoyez plus rien", 'opt-out'],
    ['plus de messages svp', 'opt-out'],
    ['je ne veux plus recevoir de messages', 'opt-out'],
    ['désabonnez-moi', 'opt-out'],
    ['me désinscrire', 'opt-out'],
    ['retirez-moi de votre liste', 'opt-out'],
    ['supprimez mon numéro', 'opt-out'],
    ['ARRET', 'opt-out'],
    ['plus de pub', 'marketing'],
    ['arrêtez les promotions', 'marketing'],
    ['pas de publicité merci', 'marketing'],
    ['ça suffit', 'ambiguous'],
    ['assez', 'ambiguous'],
    ['comment me désabonner', 'ambiguous'],
    ["n'arrêtez pas", 'nothing'],
    ['ne t’arrête pas', 'nothing'],
    ['merci beaucoup', 'nothing'],
    ['à quelle heure fermez-vous ?', 'nothing'],
    ['je passe demain', 'nothing'],
  ],
  Portuguese: [
    ['pare de enviar', 'opt-out'],
    ['Pare de me mandar mensagens', 'opt-out'],
    ['parem de enviar mensagens', 'opt-out'],
    ['não me envie mais', 'opt-out'],
    ['não quero mais receber', 'opt-out'],
    ['Não quero mais receber mensagens', 'opt-out'],
    ['chega de mensagens', 'opt-out'],
    ['descadastrar', 'opt-out'],
    ['quero sair da lista', 'opt-out'],
    ['me tire da lista', 'opt-out'],
    ['remover meu número', 'opt-out'],
    ['cancelar inscrição', 'opt-out'],
    ['pare', 'opt-out'],
    ['SAIR', 'opt-out'],
    ['chega de promoções', 'marketing'],
    ['não quero propaganda', 'marketing'],
    ['chega', 'ambiguous'],
    ['já chega', 'ambiguous'],
    ['não pare', 'nothing'],
    ['obrigado, até amanhã', 'nothing'],
    ['meu pedido está pronto?', 'nothing'],
    ['pode parar no ponto de ônibus', 'nothing'],
  ],
  German: [
    ['bitte keine SMS mehr', 'opt-out'],
    ['Keine Nachrichten mehr!', 'opt-out'],
    ['hören Sie auf, mir zu schreiben', 'opt-out'],
    ['hört auf mir zu schreiben', 'opt-out'],
    ['abmelden', 'opt-out'],
    ['ich möchte mich abmelden', 'opt-out'],
    ['Abbestellen bitte', 'opt-out'],
    ['tragen Sie mich aus', 'opt-out'],
    ['entfernen Sie meine Nummer', 'opt-out'],
    ['schreiben Sie mir nicht mehr', 'opt-out'],
    ['Stopp', 'opt-out'],
    ['aufhören', 'opt-out'],
    ['keine Werbung mehr', 'marketing'],
    ['bitte keine Angebote mehr', 'marketing'],
    ['genug', 'ambiguous'],
    ['es reicht', 'ambiguous'],
    ['hör nicht auf', 'nothing'],
    ['danke, bis morgen', 'nothing'],
    ['ist meine Bestellung fertig?', 'nothing'],
    ['die Haltestelle ist gleich da', 'nothing'],
  ],
};

const KEYWORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT', 'START', 'YES', 'UNSTOP', 'HELP', 'INFO'];

describe('classifyIntent', () => {
  describe.each(Object.entries(CORPUS))('%s', (_language, rows) => {
    it.each(rows)('%j is %s', (message, label) => expect(labelOf(classifyIntent(message))).toBe(label));
  });

  it('holds a corpus of at least 150 labelled messages in five languages', () => {
    expect(Object.values(CORPUS).flat().length).toBeGreaterThanOrEqual(150);
  });

  it('names the rule that decided, a stable id', () => {
    expect(classifyIntent('please stop texting me')).toEqual({ kind: 'opt-out', scope: 'all', rule: 'en.stop-contacting' });
    expect(classifyIntent('stop the promotions')).toEqual({ kind: 'opt-out', scope: 'marketing', rule: 'en.marketing' });
    expect(classifyIntent('no más mensajes')).toEqual({ kind: 'opt-out', scope: 'all', rule: 'es.no-more-messages' });
    expect(classifyIntent('no more')).toEqual({ kind: 'ambiguous', rule: 'en.no-more' });
    expect(classifyIntent('Stop texting me so early please')).toEqual({ kind: 'ambiguous', rule: 'en.stop-contacting+qualified' });
    expect(classifyIntent('bus stop')).toEqual({ kind: 'mention', rule: 'mention.compound' });
    expect(classifyIntent('Stop!')).toEqual({ kind: 'keyword', keyword: 'opt-out', rule: 'keyword.stop' });
    expect(classifyIntent('hello')).toEqual({ kind: 'none' });
  });

  it('ignores case, accents, punctuation, emoji and invisible characters', () => {
    for (const message of [
      'PLEASE STOP TEXTING ME',
      'please stop\u200B texting me',
      'please, stop… texting me!!! 😡',
      '  please   stop\ttexting\nme ',
    ]) {
      expect(classifyIntent(message)).toMatchObject({ kind: 'opt-out', rule: 'en.stop-contacting' });
    }
    expect(classifyIntent('NO MÁS MENSAJES')).toMatchObject({ kind: 'opt-out' });
    expect(classifyIntent('ＡＲＲÊＴＥＺ')).toMatchObject({ kind: 'opt-out', rule: 'fr.stop-word' });
  });

  it('reads a message that is only a keyword (with any case, spaces, punctuation, emoji) as that keyword', () => {
    const decoration = fc.constantFrom('', ' ', '  ', '!', '.', '?', '!!', ' 🙂', '❤️', '\n', '\u200B');
    fc.assert(
      fc.property(fc.constantFrom(...KEYWORDS), fc.boolean(), decoration, decoration, (word, lower, before, after) => {
        const message = `${before}${lower ? word.toLowerCase() : word}${after}`;
        const intent = classifyIntent(message);
        expect(intent).toMatchObject({ kind: 'keyword', keyword: classifyKeyword(word) });
      }),
    );
  });

  it('never opts out a message whose only "stop" is a mention, whatever surrounds it', () => {
    const mention = fc.constantFrom("don't stop", 'bus stop', "can't stop laughing", 'non-stop', 'stop by the store', 'never stop');
    const chatter = fc.constantFrom('', 'haha', 'see you at 5', 'thanks!', 'ok', 'great news', 'I am on my way');
    fc.assert(
      fc.property(chatter, mention, chatter, (before, said, after) => {
        expect(['mention', 'none']).toContain(classifyIntent(`${before} ${said} ${after}`).kind);
      }),
    );
  });

  it('is deterministic: the same text, the same answer', () => {
    fc.assert(fc.property(fc.string(), (text) => expect(classifyIntent(text)).toEqual(classifyIntent(text))));
  });
});
