import { useEffect, useState } from 'preact/hooks';

/** An object URL for stored photo bytes, revoked when the component goes (memory on a cheap tablet). */
export function usePhotoUrl(photo: { id: string; sha256: string; bytes: ArrayBuffer; mime: string }): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const objectUrl = URL.createObjectURL(new Blob([photo.bytes], { type: photo.mime }));
    setUrl(objectUrl);
    return () => {
      URL.revokeObjectURL(objectUrl);
    };
    // The same photo blurred has new bytes (and hash) under its id.
  }, [photo.id, photo.sha256]);
  return url;
}
