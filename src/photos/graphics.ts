/**
 * The two ways to decode and draw a photo. The worker uses createImageBitmap and OffscreenCanvas;
 * the page falls back to <img> and <canvas> in browsers without them (or when the worker cannot
 * start). Both turn the picture upright by its EXIF orientation, as browsers do by default for
 * images since 2020; createImageBitmap is asked to explicitly.
 */
import type { PhotoGraphics, PhotoSurface } from './shrink.ts';

function missing2dContext(): Error {
  return new Error('this browser gave no 2D canvas context for the photo');
}

/** For the photo worker: nothing here touches the DOM. */
export const offscreenGraphics: PhotoGraphics = {
  async decode(file) {
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    return {
      image: bitmap,
      width: bitmap.width,
      height: bitmap.height,
      release: () => {
        bitmap.close();
      },
    };
  },
  createSurface(width, height): PhotoSurface {
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (!context) throw missing2dContext();
    return {
      context,
      encodeJpeg: (quality) => canvas.convertToBlob({ type: 'image/jpeg', quality }),
      release: () => {
        canvas.width = 0;
        canvas.height = 0;
      },
    };
  },
};

/** For the page, when there is no worker: an <img> from an object URL and a detached <canvas>. */
export const elementGraphics: PhotoGraphics = {
  async decode(file) {
    const url = URL.createObjectURL(file);
    const image = new Image();
    image.src = url;
    try {
      await image.decode();
    } catch (error) {
      URL.revokeObjectURL(url);
      throw error;
    }
    return {
      image,
      width: image.naturalWidth,
      height: image.naturalHeight,
      release: () => {
        image.removeAttribute('src');
        URL.revokeObjectURL(url);
      },
    };
  },
  createSurface(width, height): PhotoSurface {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d');
    if (!context) throw missing2dContext();
    return {
      context,
      encodeJpeg: (quality) => new Promise((resolve, reject) => {
        canvas.toBlob((blob) => {
          if (blob) resolve(blob);
          else reject(new Error('the canvas could not write the photo as a JPEG'));
        }, 'image/jpeg', quality);
      }),
      release: () => {
        canvas.width = 0;
        canvas.height = 0;
      },
    };
  },
};
