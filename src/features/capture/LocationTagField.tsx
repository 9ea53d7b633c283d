import { useEffect, useRef, useState } from 'preact/hooks';
import type { Unit } from '../../shared/api/admin.ts';
import type { Presence } from '../../shared/mutations.ts';
import { placeName } from '../../shared/presence.ts';
import { readTagToken } from '../../shared/tag-token.ts';
import { ButtonGroup } from '../../ui/ButtonGroup.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Button } from '../../ui/form.tsx';
import { TextArea } from '../../ui/TextArea.tsx';
import { formatTime } from './labels.ts';
import type { Scanning } from './scan/tag-scanner.ts';

/** What the field needs of a unit: the device's stored units may predate tagged places. */
type UnitNamed = Pick<Unit, 'id' | 'name'>;

interface LocationTagFieldProps {
  /** The check's unit (tags are per unit), or none chosen yet. */
  unit: UnitNamed | undefined;
  units: readonly UnitNamed[];
  scan: Presence | null;
  onChange: (scan: Presence | null) => void;
}

/**
 * Proof of being there: the person scans the location tag (QR code) put up on the unit or landing,
 * with the camera and no signal needed, or says why they could not. The server verifies the tag
 * when the check is sent; here the tag's text only says which unit and place it names.
 */
export function LocationTagField({ unit, units, scan, onChange }: LocationTagFieldProps) {
  const [scanning, setScanning] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const video = useRef<HTMLVideoElement>(null);
  const session = useRef<Scanning | null>(null);
  useEffect(() => () => session.current?.stop(), []);

  const found = (text: string) => {
    setScanning(false);
    session.current = null;
    const tag = readTagToken(text);
    if (!tag) {
      setProblem('That QR code is not a Wingcheck location tag. Scan the tag put up on the unit.');
      return;
    }
    if (unit && tag.unitId !== unit.id.toLowerCase()) {
      const theirs = units.find((u) => u.id.toLowerCase() === tag.unitId)?.name ?? 'another unit';
      setProblem(`That tag is for ${theirs}. Scan the tag for ${unit.name}.`);
      return;
    }
    setProblem(null);
    onChange({ method: 'tag', token: text.trim(), scannedAt: new Date().toISOString() });
  };

  const start = async () => {
    setProblem(null);
    setScanning(true);
    try {
      // Loaded on this tap only: the scanner and its decoder are not part of opening a check.
      const { scanQr } = await import('./scan/tag-scanner.ts');
      const element = video.current;
      if (!element) throw new Error('no video element');
      session.current = await scanQr(element, found);
    } catch (error) {
      setScanning(false);
      const denied = error instanceof DOMException && (error.name === 'NotAllowedError' || error.name === 'SecurityError');
      setProblem(denied
        ? 'The camera is not allowed for Wingcheck. Allow it in the browser’s settings, or say below why you cannot scan.'
        : 'The camera could not be started. Say below why you cannot scan the tag.');
    }
  };
  const cancel = () => {
    session.current?.stop();
    session.current = null;
    setScanning(false);
  };

  const scanned = scan?.method === 'tag' ? readTagToken(scan.token) : null;
  return (
    <section class="app-section" aria-labelledby="location-tag-heading" id="location-tag">
      <h2 class="govuk-heading-m" id="location-tag-heading">Location tag</h2>
      {scan?.method === 'tag' && (
        <p class="govuk-body" data-testid="tag-scanned">
          <strong class="govuk-tag govuk-tag--green">Scanned</strong> {placeName(unit?.name ?? 'the unit', scanned?.place ?? null)} at{' '}
          {formatTime(scan.scannedAt)}
        </p>
      )}
      {!scan && <p class="govuk-body">Scan the QR code put up on the unit or landing where you do this check.</p>}
      {/* Said as it appears: the person is looking at the camera view, not the text. */}
      <div role="alert">
        <ErrorMessage error={problem} testId="tag-problem" />
      </div>
      <video ref={video} class="app-tag-scanner" hidden={!scanning} aria-label="The camera, looking for the tag" />
      <ButtonGroup>
        {scanning ? (
          <Button secondary onClick={cancel}>
            Stop scanning
          </Button>
        ) : (
          <Button secondary disabled={!unit} onClick={() => void start()}>
            {scan?.method === 'tag' ? 'Scan again' : 'Scan the location tag'}
          </Button>
        )}
      </ButtonGroup>
      {!unit && <p class="govuk-hint">Choose the unit first.</p>}
      <details class="govuk-details" open={scan?.method === 'none'}>
        <summary class="govuk-details__summary">
          <span class="govuk-details__summary-text">I cannot scan a tag</span>
        </summary>
        <div class="govuk-details__text">
          <TextArea
            id="tag-reason"
            label="Why the tag could not be scanned"
            hint="For example: the tag is missing or damaged, or the camera does not work."
            rows={2}
            defaultValue={scan?.method === 'none' ? scan.reason : ''}
            onInput={(reason) => {
              const text = reason.trim();
              if (text) onChange({ method: 'none', reason: text.slice(0, 300) });
              else if (scan?.method === 'none') onChange(null);
            }}
          />
        </div>
      </details>
    </section>
  );
}
