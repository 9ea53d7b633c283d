import { v7 as uuidv7, validate, version } from 'uuid';

/**
 * New ids are UUIDv7: made offline on any device without coordination, and ordered by creation
 * time, so database indexes stay compact and lists sort naturally.
 */
export function newId(): string {
  return uuidv7();
}

export function isUuidV7(value: string): boolean {
  return validate(value) && version(value) === 7;
}
