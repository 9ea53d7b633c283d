import { useEffect, useRef, useState } from 'preact/hooks';
import type { TargetedKeyboardEvent, TargetedPointerEvent } from 'preact';
import { keepBlurredPhoto } from '../../data/checks.ts';
import type { PhotoRow } from '../../data/queries.ts';
import { blurPhoto, type BlurredPhoto } from '../../photos/blur-photo.ts';
import { clampBox, MIN_BOX_SIDE, type RedactionBox } from '../../photos/redact.ts';
import { ButtonGroup } from '../../ui/ButtonGroup.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Button } from '../../ui/form.tsx';
import { captureErrorMessage } from './errors.ts';
import { usePhotoUrl } from './usePhotoUrl.ts';

/** How far an arrow key moves or grows the chosen area: a fiftieth of the photo. */
const KEY_STEP = 1 / 50;

const ARROW_STEPS: Partial<Record<string, readonly [number, number]>> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

const percent = (part: number, whole: number) => `${((part / whole) * 100).toFixed(3)}%`;

interface Preview {
  url: string;
  blurred: BlurredPhoto;
}

/**
 * Blurs areas of a photo before it is kept as evidence: faces, names, cell cards. Drag across an
 * area (finger, pen or mouse), or add one and move it with the arrow keys; the blurred photo is
 * shown before it replaces the original, which then leaves this device. Evidence packs leave the
 * establishment, and photos of people in custody are special-category data.
 */
export function BlurEditor({ photo, label, onClose }: { photo: PhotoRow; label: string; onClose: () => void }) {
  const url = usePhotoUrl(photo);
  const stage = useRef<HTMLDivElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const [boxes, setBoxes] = useState<RedactionBox[]>([]);
  const [drawing, setDrawing] = useState<{ pointerId: number; x: number; y: number } | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { width, height } = photo;

  useEffect(() => {
    heading.current?.focus();
  }, []);
  useEffect(() => () => {
    if (preview) URL.revokeObjectURL(preview.url);
  }, [preview]);

  /** Where a pointer is, in the photo's own pixels. */
  const pointAt = (event: PointerEvent) => {
    const rect = stage.current?.getBoundingClientRect();
    if (!rect || rect.width === 0 || rect.height === 0) return { x: 0, y: 0 };
    return {
      x: Math.min(width, Math.max(0, ((event.clientX - rect.left) / rect.width) * width)),
      y: Math.min(height, Math.max(0, ((event.clientY - rect.top) / rect.height) * height)),
    };
  };
  const onPointerDown = (event: TargetedPointerEvent<HTMLDivElement>) => {
    if (preview || busy || event.button !== 0) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    const at = pointAt(event);
    setDrawing({ pointerId: event.pointerId, ...at });
    setBoxes((list) => [...list, { x: at.x, y: at.y, width: 0, height: 0 }]);
  };
  const onPointerMove = (event: TargetedPointerEvent<HTMLDivElement>) => {
    if (drawing?.pointerId !== event.pointerId) return;
    const at = pointAt(event);
    const { x, y } = drawing;
    setBoxes((list) => [...list.slice(0, -1), { x, y, width: at.x - x, height: at.y - y }]);
  };
  const onPointerUp = (event: TargetedPointerEvent<HTMLDivElement>) => {
    if (drawing?.pointerId !== event.pointerId) return;
    setDrawing(null);
    // A tap is not an area: keep only boxes big enough to mean one, made whole and inside the photo.
    setBoxes((list) => {
      const last = list.at(-1);
      const box = last ? clampBox(last, width, height) : null;
      const kept = list.slice(0, -1);
      return box && box.width >= MIN_BOX_SIDE && box.height >= MIN_BOX_SIDE ? [...kept, box] : kept;
    });
  };

  const addArea = () => {
    // The middle third of the photo, to be moved over what needs hiding.
    const [w, h] = [Math.round(width / 3), Math.round(height / 3)];
    setBoxes((list) => [...list, { x: w, y: h, width: w, height: h }]);
  };
  /** Arrow keys move the area; with Shift they make it wider or taller (left and up: narrower, shorter). */
  const onBoxKey = (index: number, event: TargetedKeyboardEvent<HTMLDivElement>) => {
    const step = ARROW_STEPS[event.key];
    if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      setBoxes((list) => list.filter((_, i) => i !== index));
      return;
    }
    if (!step) return;
    event.preventDefault();
    const [dx, dy] = step;
    setBoxes((list) => list.map((box, i) => {
      if (i !== index) return box;
      const moved = event.shiftKey
        ? {
            ...box,
            width: Math.max(MIN_BOX_SIDE, box.width + dx * width * KEY_STEP),
            height: Math.max(MIN_BOX_SIDE, box.height + dy * height * KEY_STEP),
          }
        : { ...box, x: box.x + dx * width * KEY_STEP, y: box.y + dy * height * KEY_STEP };
      return clampBox(moved, width, height) ?? box;
    }));
  };

  const blur = async () => {
    setError(null);
    setBusy(true);
    try {
      const blurred = await blurPhoto(photo, boxes);
      setPreview({ url: URL.createObjectURL(new Blob([blurred.bytes], { type: 'image/jpeg' })), blurred });
    } catch (e) {
      setError(`The photo could not be blurred: ${captureErrorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };
  const keep = async () => {
    if (!preview) return;
    setError(null);
    setBusy(true);
    try {
      await keepBlurredPhoto(photo.id, preview.blurred);
      onClose();
    } catch (e) {
      setError(captureErrorMessage(e));
      setBusy(false);
    }
  };

  const headingId = `blur-${photo.id}`;
  return (
    <div class="app-blur" role="group" aria-labelledby={headingId} data-testid="blur-editor">
      <h3 class="govuk-heading-s" id={headingId} tabIndex={-1} ref={heading}>
        Blur areas of {label.toLowerCase()}
      </h3>
      <p class="govuk-hint">
        {preview
          ? 'Check nothing that identifies a person can still be read. Keeping it replaces the photo on this device.'
          : 'Drag across each face, name, number or cell card. Or add an area, then move it with the arrow keys; Shift and an arrow key change its size; Delete removes it.'}
      </p>
      <ErrorMessage error={error} testId="blur-error" />
      <div
        class={`app-blur__stage${preview ? '' : ' app-blur__stage--drawing'}`}
        ref={stage}
        style={{ aspectRatio: `${width} / ${height}` }}
        data-testid="blur-stage"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
      >
        {(preview?.url ?? url) && (
          <img
            src={preview?.url ?? url ?? undefined}
            alt={preview ? `${label}, with ${boxes.length === 1 ? 'one area' : `${boxes.length} areas`} blurred` : label}
            class="app-blur__image"
            draggable={false}
          />
        )}
        {!preview
          && boxes.map((box, i) => {
            const shown = clampBox(box, width, height) ?? box;
            return (
              <div
                key={i}
                class="app-blur__box"
                role="img"
                tabIndex={0}
                aria-label={`Area ${i + 1} to blur: from ${Math.round((shown.x / width) * 100)}% across and ${Math.round((shown.y / height) * 100)}% down, ${Math.round((shown.width / width) * 100)}% wide and ${Math.round((shown.height / height) * 100)}% high`}
                style={{
                  left: percent(shown.x, width),
                  top: percent(shown.y, height),
                  width: percent(shown.width, width),
                  height: percent(shown.height, height),
                }}
                onKeyDown={(event) => { onBoxKey(i, event); }}
              />
            );
          })}
      </div>
      <p class="govuk-body-s" role="status" data-testid="blur-count">
        {boxes.length === 0 ? 'No areas chosen yet.' : boxes.length === 1 ? 'One area to blur.' : `${boxes.length} areas to blur.`}
      </p>
      {preview ? (
        <ButtonGroup>
          <Button disabled={busy} onClick={() => void keep()}>Keep the blurred photo</Button>
          <Button secondary disabled={busy} onClick={() => { setPreview(null); }}>Change the areas</Button>
          <Button secondary disabled={busy} onClick={onClose}>Cancel</Button>
        </ButtonGroup>
      ) : (
        <ButtonGroup>
          <Button disabled={busy || boxes.length === 0} onClick={() => void blur()}>Blur these areas</Button>
          <Button secondary disabled={busy} onClick={addArea}>Add an area</Button>
          {boxes.length > 0 && (
            <Button secondary disabled={busy} onClick={() => { setBoxes((list) => list.slice(0, -1)); }}>
              Remove the last area
            </Button>
          )}
          <Button secondary disabled={busy} onClick={onClose}>Cancel</Button>
        </ButtonGroup>
      )}
    </div>
  );
}
