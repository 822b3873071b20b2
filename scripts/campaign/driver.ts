// The campaign run, in order: read the CSV, create (or find) the campaign, upload the missing
// pages, call run until done, summarise. The service keeps every guarantee (pages idempotent,
// each recipient sent once); this process keeps only a shortcut on disk, so it can die anywhere.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { CampaignApi, type RunAnswer } from './api';
import { CAMPAIGN_ID, DEFAULT_URL, connectionWarnings, type Command, type Connection } from './args';
import { csvPages, scanCsv, type CsvSummary } from './csv';
import { CliError, EXIT, Interrupted, badInput, failed } from './errors';
import { createProgress, formatDuration, type ProgressView } from './progress';
import { missingPages, readState, statePath, withPage, writeState, type SavedCampaign } from './state';
import type { StopSignal } from './stop';
import { formatPlan, formatSummary, formatWarnings, writeRefusals } from './summary';
import { columnsUsed, missingColumns } from './template';

/** The contract's largest page. */
const PAGE_SIZE = 500;

export interface SessionOptions {
  out: NodeJS.WriteStream;
  err: NodeJS.WritableStream;
  /** Where state files and refusal CSVs go (`.campaigns` in the working directory). */
  stateDir: string;
  stop: StopSignal;
}

const resumeCommand = (id: string): string => `npm run campaign -- --resume ${id}`;

/** One CLI invocation. Knows the campaign id as soon as there is one, for the resume hint. */
export class Session {
  private id: string | undefined;
  private readonly progress: ProgressView;

  constructor(private readonly options: SessionOptions) {
    this.progress = createProgress({ stream: options.out });
  }

  /** Runs the command; a `CliError` becomes its message (and the resume command once a campaign exists) and exit code. */
  async run(command: Exclude<Command, { mode: 'help' }>): Promise<number> {
    try {
      return command.mode === 'create' ? await this.create(command) : await this.resume(command);
    } catch (error) {
      this.progress.stop();
      if (!(error instanceof CliError)) throw error;
      if (error instanceof Interrupted) {
        this.say(
          this.id
            ? `Stopped. Nothing is lost; continue with:\n  ${resumeCommand(this.id)}`
            : 'Stopped before any campaign was created; nothing was sent.',
        );
      } else {
        this.options.err.write(`error: ${error.message}\n`);
        if (this.id) this.options.err.write(`The campaign is safe on the service; continue with:\n  ${resumeCommand(this.id)}\n`);
      }
      return error.exitCode;
    }
  }

  /** First Ctrl-C: say what happens next. */
  stopping(): void {
    this.progress.note('stopping after the request in flight (Ctrl-C again to quit now)');
  }

  /** Second Ctrl-C: quit at once; safe because the service, not this process, knows what was sent. */
  quitNow(): number {
    this.progress.stop();
    this.say(this.id ? `\nQuit. Nothing is lost; continue with:\n  ${resumeCommand(this.id)}` : '\nQuit before any campaign was created.');
    return EXIT.interrupted;
  }

  private say(text: string): void {
    this.options.out.write(`${text}\n`);
  }

  private api(url: string, connection: Connection): CampaignApi {
    for (const warning of connectionWarnings(connection, url)) this.options.err.write(`${warning}\n`);
    return new CampaignApi({
      baseUrl: url,
      token: connection.token,
      stop: this.options.stop,
      onRetry: (what, attempt, delayMs) => this.progress.note(`retry ${attempt} in ${formatDuration(delayMs / 1000)}: ${what}`),
    });
  }

  private async create(command: Extract<Command, { mode: 'create' }>): Promise<number> {
    const { request, connection } = command;
    const csv = await scanCsv(command.csvPath);
    const missing = missingColumns(columnsUsed(request), csv.variables);
    if (missing.length > 0) {
      const has = csv.variables.length > 0 ? `its columns are ${csv.variables.join(', ')}` : 'it has no variable columns';
      throw badInput(
        `the message uses ${missing.map((name) => `{{${name}}}`).join(', ')} but ${command.csvPath} has no such column (${has}; "${csv.recipientColumn}" is the recipient)`,
      );
    }
    this.say(
      `Read ${csv.rows.toLocaleString('en-US')} recipients from ${command.csvPath} (recipient column "${csv.recipientColumn}"${csv.variables.length ? `; variables ${csv.variables.join(', ')}` : ''}).`,
    );
    const url = connection.url ?? DEFAULT_URL;
    const api = this.api(url, connection);

    if (command.dryRun) {
      const { plan, warnings } = await api.plan(request, csv.rows);
      this.say(`Plan for "${request.name}" (dry run: nothing created, nothing sent)\n${formatPlan(plan)}${formatWarnings(warnings)}`);
      return EXIT.ok;
    }
    if (this.options.stop.requested) throw new Interrupted();
    const created = await api.create(request, csv.rows);
    if (!CAMPAIGN_ID.test(created.id))
      throw failed(`POST /campaigns answered an id this CLI cannot store safely: ${JSON.stringify(created.id.slice(0, 80))}`);
    this.id = created.id;
    const saved = this.newState(created.id, url, csv);
    this.say(`Created campaign ${created.id} "${created.name}"\n${formatPlan(created.plan)}${formatWarnings(created.warnings)}`);
    this.say(
      `State in ${path.relative(process.cwd(), statePath(this.options.stateDir, created.id))}; after Ctrl-C or a crash: ${resumeCommand(created.id)}`,
    );
    return this.drive(api, created.id, { saved, csvFile: command.csvPath });
  }

  private newState(id: string, url: string, csv: CsvSummary): SavedCampaign {
    const saved: SavedCampaign = {
      version: 1,
      id,
      url,
      csv: { path: csv.path, sha256: csv.sha256, rows: csv.rows },
      pageSize: PAGE_SIZE,
      pages: Math.ceil(csv.rows / PAGE_SIZE),
      uploaded: [],
      createdAt: new Date().toISOString(),
    };
    writeState(this.options.stateDir, saved);
    return saved;
  }

  private async resume(command: Extract<Command, { mode: 'resume' }>): Promise<number> {
    const { id, connection } = command;
    const saved = readState(this.options.stateDir, id);
    const url = connection.url ?? saved?.url ?? DEFAULT_URL;
    const api = this.api(url, connection);
    const status = await api.status(id);
    this.id = id;
    const { progress } = status;
    this.say(
      `Resuming campaign ${id}${status.name ? ` "${status.name}"` : ''}: ${status.state}, ${progress.sent} sent, ${progress.pending} pending of ${progress.total}.`,
    );
    if (status.state === 'canceled') {
      this.say('The campaign was canceled; nothing more will be sent.');
      return this.summarise(api, id);
    }

    if (saved) {
      if (missingPages(saved).length > 0) {
        const csvFile = command.csvPath ?? saved.csv.path;
        const csv = await scanCsv(csvFile);
        if (csv.sha256 !== saved.csv.sha256) {
          throw badInput(
            `${csvFile} changed since campaign ${id} was created (its SHA-256 differs); restore that file, or start a new campaign with this one`,
          );
        }
        return this.drive(api, id, { saved, csvFile });
      }
    } else if (command.csvPath) {
      // No state file (another machine, or it was deleted): upload every page again; the service
      // answers duplicatePage for those it has.
      const fresh = this.newState(id, url, await scanCsv(command.csvPath));
      this.say(`No state file for ${id}: uploading every page of ${command.csvPath} again (the service ignores pages it has).`);
      return this.drive(api, id, { saved: fresh, csvFile: command.csvPath });
    } else if (status.state === 'open') {
      throw badInput(
        `no state file ${path.relative(process.cwd(), statePath(this.options.stateDir, id))} and no CSV: give the file the campaign was made from: npm run campaign -- <recipients.csv> --resume ${id}`,
      );
    } else {
      this.say('No local state file: driving the sends only (the recipients were uploaded by the driver that created it).');
    }
    return this.drive(api, id);
  }

  /** Uploads what is missing (when told), runs to the end, summarises. */
  private async drive(api: CampaignApi, id: string, pages?: { saved: SavedCampaign; csvFile: string }): Promise<number> {
    if (pages && missingPages(pages.saved).length > 0) await this.upload(api, pages.saved, pages.csvFile);
    const last = await this.runUntilDone(api, id);
    this.progress.stop();
    if (last.state === 'canceled') this.say('The campaign was canceled.');
    return this.summarise(api, id);
  }

  /** Uploads the pages the state file does not list, recording each as the service confirms it. */
  private async upload(api: CampaignApi, start: SavedCampaign, csvFile: string): Promise<void> {
    let saved = start;
    const missing = new Set(missingPages(saved));
    const rowsIn = (page: number): number => Math.min(saved.pageSize, saved.csv.rows - page * saved.pageSize);
    let done = saved.uploaded.reduce((sum, page) => sum + rowsIn(page), 0);
    let refused = 0;
    const show = (): void => this.progress.update({ phase: 'upload', done, total: saved.csv.rows, sent: 0, refused, failed: 0 });
    show();
    for await (const page of csvPages(csvFile, saved.pageSize)) {
      if (!missing.has(page.page)) continue;
      if (this.options.stop.requested) throw new Interrupted();
      const answer = await api.uploadPage(saved.id, page.page, page.rows);
      saved = withPage(saved, page.page);
      writeState(this.options.stateDir, saved);
      missing.delete(page.page);
      done += page.rows.length;
      refused += answer.refused.length;
      show();
    }
    if (missing.size > 0)
      throw badInput(`${csvFile} has fewer rows than when the campaign was created (pages ${[...missing].join(', ')} are missing)`);
  }

  /** Calls run until the service says done, waiting as it asks; a run that moved nothing and asked no wait is followed by a 1 s pause. */
  private async runUntilDone(api: CampaignApi, id: string): Promise<RunAnswer> {
    for (;;) {
      if (this.options.stop.requested) throw new Interrupted();
      const answer = await api.run(id);
      const { progress } = answer;
      this.progress.update({
        phase: 'send',
        done: progress.sent + progress.refused + progress.failed,
        total: progress.total,
        sent: progress.sent,
        refused: progress.refused,
        failed: progress.failed,
        ...(typeof answer.etaSeconds === 'number' ? { etaSeconds: answer.etaSeconds } : {}),
      });
      if (answer.done) return answer;
      const moved = answer.thisRun ? answer.thisRun.sent + answer.thisRun.refused + answer.thisRun.failed : 1;
      const waitSeconds = answer.nextRunAfterSeconds ?? (moved === 0 ? 1 : 0);
      if (waitSeconds >= 10)
        this.progress.note(`the service asks to wait ${formatDuration(waitSeconds)} (send time, quiet hours or Twilio's queue)`);
      await this.options.stop.sleep(waitSeconds * 1000);
    }
  }

  private async summarise(api: CampaignApi, id: string): Promise<number> {
    const status = await api.status(id);
    this.say(`\n${formatSummary(status)}`);
    mkdirSync(this.options.stateDir, { recursive: true });
    const file = path.join(this.options.stateDir, `${id}-refusals.csv`);
    const refusals = await writeRefusals(api, id, file);
    if (refusals === 0) rmSync(file, { force: true });
    this.say(refusals > 0 ? `Refusals (${refusals.toLocaleString('en-US')}): ${path.relative(process.cwd(), file)}` : 'No refusals.');
    return EXIT.ok;
  }
}
