import { useEffect, useState } from 'preact/hooks';
import { lazy } from 'preact-iso';
import { addPhoto, removePhoto } from '../../data/checks.ts';
import type { PhotoRow } from '../../data/queries.ts';
import { captureErrorMessage } from './errors.ts';
import { usePhotoUrl } from './usePhotoUrl.ts';
import { Button, FieldParts } from '../../ui/form.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { FileInput } from '../../ui/FileUpload.tsx';
import { FormGroup } from '../../ui/FormGroup.tsx';

interface Pending {
  key: number;
  name: string;
  previewUrl: string | null;
}

const PREVIEWABLE = new Set(['jpeg', 'png', 'webp', 'gif']);

/**
 * The chosen file itself, shown while it is being shrunk. Only for files that start like an image:
 * Chromium handles a broken image source by fetching it again, which the CSP rightly refuses.
 */
async function previewOf(file: File): Promise<string | null> {
  const { PHOTO_HEAD_BYTES, sniffImage } = await import('../../shared/photos.ts');
  const head = new Uint8Array(await file.slice(0, PHOTO_HEAD_BYTES).arrayBuffer());
  return PREVIEWABLE.has(sniffImage(head)) ? URL.createObjectURL(file) : null;
}

/** The photo pipeline loads with the first photo, not with the first screen (it is precached). */
const loadPipeline = () => import('../../photos/process.ts');

/** Blurring loads when someone chooses to blur a photo (it is precached, so offline too). */
const BlurEditor = lazy(() => import('./BlurEditor.tsx').then((m) => m.BlurEditor));

let nextKey = 0;

function StoredPhoto({ photo, onRemove, onBlur, label }: {
  photo: PhotoRow;
  onRemove?: () => void;
  onBlur?: () => void;
  label: string;
}) {
  const url = usePhotoUrl(photo);
  return (
    <li class="app-photo" data-testid="photo">
      {url && (
        <a href={url} target="_blank" rel="noreferrer" class="app-photo__link">
          <img src={url} alt={label} class="app-photo__image" width={photo.width} height={photo.height} />
        </a>
      )}
      <span class="govuk-body-s app-photo__meta">
        {photo.width}×{photo.height}
        {photo.redacted && <strong class="govuk-tag govuk-tag--grey app-photo__tag" data-testid="photo-redacted">Blurred</strong>}
      </span>
      {onBlur && (
        <Button secondary class="govuk-!-margin-bottom-0" onClick={onBlur}>
          Blur areas<span class="govuk-visually-hidden"> of {label}</span>
        </Button>
      )}
      {onRemove && (
        <Button secondary class="govuk-!-margin-bottom-0" onClick={onRemove}>
          Remove<span class="govuk-visually-hidden"> {label}</span>
        </Button>
      )}
    </li>
  );
}

/** Read-only thumbnails of stored photos (submitted evidence). */
export function PhotoList({ photos, label }: { photos: readonly PhotoRow[]; label: string }) {
  if (photos.length === 0) return null;
  return (
    <ul class="app-photos" aria-label={label}>
      {photos.map((photo, i) => (
        <StoredPhoto key={photo.id} photo={photo} label={`${label} ${i + 1}`} />
      ))}
    </ul>
  );
}

/**
 * Takes photos with the camera (or from the gallery), shows each at once, shrinks it in a worker,
 * then stores it with the draft. A bad file gets its own message; the rest of the check is untouched.
 */
export function PhotoField({
  id,
  checkId,
  itemId,
  label,
  photos,
  onSaved,
}: {
  id: string;
  checkId: string;
  itemId: string | null;
  label: string;
  photos: readonly PhotoRow[];
  onSaved: () => void;
}) {
  const [pending, setPending] = useState<Pending[]>([]);
  const [blurring, setBlurring] = useState<string | null>(null);
  const [errors, setErrors] = useState<{ key: number; message: string }[]>([]);
  const [notices, setNotices] = useState<{ key: number; message: string }[]>([]);
  useEffect(
    () => () => {
      for (const p of pending) if (p.previewUrl) URL.revokeObjectURL(p.previewUrl);
    },
    [],
  );

  const add = async (file: File) => {
    const item: Pending = { key: nextKey++, name: file.name, previewUrl: await previewOf(file).catch(() => null) };
    setPending((list) => [...list, item]);
    const pipeline = loadPipeline();
    try {
      const photo = await (await pipeline).processPhoto(file);
      await addPhoto(checkId, itemId, photo);
      if (photo.hadTransparency) {
        const message = `“${file.name}” has see-through areas: they are saved as white.`;
        setNotices((list) => [...list, { key: item.key, message }]);
      }
      onSaved();
    } catch (error) {
      const { PhotoError } = await pipeline.catch(() => ({ PhotoError: null }));
      const message = PhotoError && error instanceof PhotoError ? error.message : captureErrorMessage(error);
      setErrors((list) => [...list, { key: item.key, message }]);
    } finally {
      if (item.previewUrl) URL.revokeObjectURL(item.previewUrl);
      setPending((list) => list.filter((p) => p.key !== item.key));
    }
  };

  return (
    <FormGroup error={errors[0]?.message}>
      <FieldParts id={id} label={label} size="s" hint="No faces, names or numbers that could identify a prisoner." />
      {errors.map((e) => (
        <ErrorMessage key={e.key} error={e.message} testId="photo-error" />
      ))}
      {notices.map((n) => (
        <p class="govuk-body-s" key={n.key} role="status" data-testid="photo-notice">
          {n.message}
        </p>
      ))}
      <ul class="app-photos" aria-label={`${label}: photos`}>
        {photos.map((photo, i) => (
          <StoredPhoto
            key={photo.id}
            photo={photo}
            label={`Photo ${i + 1}`}
            onBlur={() => {
              setBlurring(photo.id);
            }}
            onRemove={() => {
              removePhoto(photo.id).then(onSaved, (error: unknown) => {
                setErrors((list) => [...list, { key: nextKey++, message: captureErrorMessage(error) }]);
              });
            }}
          />
        ))}
        {pending.map((p) => (
          <li class="app-photo app-photo--pending" key={p.key} data-testid="photo-pending">
            {p.previewUrl ? <img src={p.previewUrl} alt={`${p.name}, being prepared`} class="app-photo__image" /> : <span class="app-photo__image" />}
            <span class="govuk-body-s app-photo__meta" role="status">
              Preparing…
            </span>
          </li>
        ))}
      </ul>
      {(() => {
        const index = photos.findIndex((p) => p.id === blurring);
        const photo = photos[index];
        return photo ? (
          <BlurEditor
            key={photo.id}
            photo={photo}
            label={`Photo ${index + 1}`}
            onClose={() => {
              setBlurring(null);
              onSaved();
            }}
          />
        ) : null;
      })()}
      <FileInput
        id={id}
        accept="image/*"
        camera
        multiple
        describedBy={`${id}-hint`}
        onFiles={(files) => {
          setErrors([]);
          setNotices([]);
          for (const file of files) void add(file);
        }}
      />
    </FormGroup>
  );
}
