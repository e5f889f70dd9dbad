/**
 * The one place findings are put into words. Every output (CLI text, JSON, chat) uses these
 * phrasings, e.g. "Column `amount` changed type decimal(10,2) → string".
 */
import type { Change, MemberSubject } from '../judging/diff.js';
import { printGlueType } from '../schema/glue-type.js';
import type { Finding } from '../judging/judge.js';
import { type Path, formatColumnPath } from '../schema/path.js';
import { ruleById } from '../judging/rules.js';
import { shorten } from './budget.js';
import type { GlueType } from '../schema/glue-type.js';
import type { ResolutionProblem } from '../schema/avro-schema.js';

/** Where long types are cut (a 3,000-field struct is ~100,000 characters); unlimited unless a caller says. */
export interface FindingTextOptions {
  readonly maxTypeChars?: number;
}

function typeText(type: GlueType, options: FindingTextOptions): string {
  const text = printGlueType(type);
  return options.maxTypeChars === undefined ? text : shorten(text, options.maxTypeChars);
}

const MEMBER_NOUN: Readonly<Record<MemberSubject, string>> = { column: 'Column', field: 'Field', partitionKey: 'Partition key' };

const STORAGE_NOUN = {
  format: 'Storage format',
  location: 'Location',
  inputFormat: 'InputFormat',
  outputFormat: 'OutputFormat',
  serdeLibrary: 'SerDe library',
} as const;

function code(text: string): string {
  return `\`${text}\``;
}

/** Noun for a path: a column itself, or something nested inside one. */
function nounFor(path: Path): string {
  const section = path[0];
  const nested = path.filter((s) => s.kind !== 'section' && s.kind !== 'comment').length > 1;
  if (section?.kind === 'section' && section.name === 'partitionKeys') return nested ? 'Partition key field' : 'Partition key';
  if (section?.kind === 'section' && section.name === 'avroSchema') return nested ? 'Avro reader schema field' : 'Avro reader schema column';
  return nested ? 'Field' : 'Column';
}

function quoted(value: string | undefined): string {
  return value === undefined ? '(none)' : JSON.stringify(value);
}

function propertyChangeText(subject: string, change: { kind: string; before?: string; after?: string }): string {
  if (change.kind === 'added') return `${subject} set to ${quoted(change.after)}`;
  if (change.kind === 'removed') return `${subject} removed (was ${quoted(change.before)})`;
  return `${subject} changed ${quoted(change.before)} → ${quoted(change.after)}`;
}

/** One sentence describing a neutral change. */
export function describeChange(change: Change): string {
  return describeChangeWithin(change, {});
}

/** describeChange with long types cut. */
export function describeChangeWithin(change: Change, options: FindingTextOptions): string {
  const where = code(formatColumnPath(change.path));
  switch (change.subject) {
    case 'column':
    case 'field':
    case 'partitionKey': {
      const avro = change.path[0]?.kind === 'section' && change.path[0].name === 'avroSchema';
      const noun = change.subject === 'field' || avro ? nounFor(change.path) : MEMBER_NOUN[change.subject];
      switch (change.kind) {
        case 'added':
          return `${noun} ${where} (${typeText(change.type, options)}) added ${change.atEnd ? 'at the end' : 'before existing ones'}`;
        case 'removed':
          return `${noun} ${where} (${typeText(change.type, options)}) removed`;
        case 'renamed':
          return `${noun} ${where} renamed to ${code(change.after)}`;
        case 'moved':
          return `${noun} ${where} moved from position ${change.before + 1} to ${change.after + 1}`;
      }
      break;
    }
    case 'type':
      return `${nounFor(change.path)} ${where} changed type ${typeText(change.before, options)} → ${typeText(change.after, options)}`;
    case 'comment':
      return propertyChangeText(`Comment on ${code(formatColumnPath(change.path.slice(0, -1)))}`, change);
    case 'storage':
      return propertyChangeText(STORAGE_NOUN[change.property], change);
    case 'serdeParameter':
      return propertyChangeText(`SerDe parameter ${code(change.name)}`, change);
    case 'tableType':
      return propertyChangeText('Table type', change);
    case 'tableParameter':
      return propertyChangeText(`Table parameter ${code(change.name)}`, change);
    case 'unreadable':
      return `The table's schema cannot be read: ${change.after ?? 'unknown problem'}`;
    case 'avroResolution':
      return resolutionText(where, change.problem);
    case 'avroColumns': {
      // Types printed as stored: cut like any other type text.
      const cut = (text: string): string => (options.maxTypeChars === undefined ? text : shorten(text, options.maxTypeChars));
      if (change.before === undefined) return `Avro reader schema has column ${where} (${cut(change.after ?? '')}) that the table's columns do not list`;
      if (change.after === undefined) return `Column ${where} (${cut(change.before)}) is not in the Avro reader schema: Avro readers do not see it`;
      return `Column ${where} is ${cut(change.before)} in the table's columns but ${cut(change.after)} in the Avro reader schema`;
    }
    case 'viewColumns': {
      const cut = (text: string): string => (options.maxTypeChars === undefined ? text : shorten(text, options.maxTypeChars));
      return `The view's stored columns (${cut(change.after ?? '')}) no longer match its catalog columns (${cut(change.before ?? '')})`;
    }
    case 'viewText':
      return propertyChangeText(change.property === 'originalText' ? 'View definition (ViewOriginalText)' : 'View expanded text (ViewExpandedText)', change);
  }
}

function resolutionText(where: string, problem: ResolutionProblem): string {
  switch (problem.problem) {
    case 'field-without-default':
      return `Avro reader schema field ${where} has no default: files written before it existed cannot be read`;
    case 'incompatible-type':
      return `Avro reader schema field ${where} is read as ${problem.reader} from files written as ${problem.writer}, which Avro cannot resolve`;
    case 'enum-symbols-removed':
      return `Avro enum ${where} lost symbol(s) ${problem.symbols.join(', ')} and has no default: files holding them cannot be read`;
    case 'union-branch-unmatched':
      return `Avro reader schema field ${where}: a written ${problem.writer} value matches no branch of ${problem.reader}`;
  }
}

/** A finding's sentence: the change, then the rule's qualifier when it has one. */
export function findingMessage(finding: Finding): string {
  return findingMessageWithin(finding, {});
}

/** findingMessage with long types cut (chat and events: a type can be ~100,000 characters). */
export function findingMessageWithin(finding: Finding, options: FindingTextOptions): string {
  const qualifier = ruleById(finding.ruleId).qualifier;
  const text = describeChangeWithin(finding.change, options);
  return qualifier === undefined ? text : `${text}: ${qualifier}`;
}

/** Why a finding's rule judges it so: the rule's purpose. */
export function findingReason(finding: Finding): string {
  return ruleById(finding.ruleId).purpose;
}

/** Plain before/after values for machine output. */
export function findingValues(finding: Finding): { before?: string; after?: string } {
  return findingValuesWithin(finding, {});
}

function findingValuesWithin(finding: Finding, options: FindingTextOptions): { before?: string; after?: string } {
  const change = finding.change;
  const printGlueType = (type: GlueType): string => typeText(type, options);
  switch (change.kind) {
    case 'added':
      return 'type' in change ? { after: printGlueType(change.type) } : { ...(change.after === undefined ? {} : { after: change.after }) };
    case 'removed':
      return 'type' in change ? { before: printGlueType(change.type) } : { ...(change.before === undefined ? {} : { before: change.before }) };
    case 'renamed':
      return { before: change.before, after: change.after };
    case 'moved':
      return { before: String(change.before + 1), after: String(change.after + 1) };
    case 'updated':
      if (change.subject === 'type') return { before: printGlueType(change.before), after: printGlueType(change.after) };
      if (change.subject === 'avroResolution') return {};
      return { ...(change.before === undefined ? {} : { before: change.before }), ...(change.after === undefined ? {} : { after: change.after }) };
  }
}

export interface FindingJson {
  readonly ruleId: string;
  readonly severity: string;
  readonly path: string;
  readonly kind: string;
  readonly before?: string;
  readonly after?: string;
  readonly message: string;
  readonly reason: string;
}

export function findingToJson(finding: Finding): FindingJson {
  return findingToJsonWithin(finding, {});
}

/** findingToJson with long types cut. */
export function findingToJsonWithin(finding: Finding, options: FindingTextOptions): FindingJson {
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    path: finding.path,
    kind: finding.change.kind,
    ...findingValuesWithin(finding, options),
    message: findingMessageWithin(finding, options),
    reason: findingReason(finding),
  };
}
