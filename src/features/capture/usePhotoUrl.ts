import { useEffect, useState } from 'preact/hooks';

/** An object URL for stored photo bytes, revoked when the component goes (memory on a cheap tablet). */
export function usePhotoUrl(photo: { id: string; bytes: ArrayBuffer; mime: string }): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const objectUrl = URL.createObjectURL(new Blob([photo.bytes], { type: photo.mime }));
    setUrl(objectUrl);
    return () => {
      URL.revokeObjectURL(objectUrl);
    };
  }, [photo.id]);
  return url;
}
