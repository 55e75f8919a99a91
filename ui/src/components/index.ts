// Owns the public surface of the reusable components.
export { Button } from './Button';
export type { ButtonProps } from './Button';
export { Badge } from './Badge';
export type { BadgeTone } from './Badge';
export { Chip } from './Chip';
export { Select } from './Select';
export type { SelectOption } from './Select';
export { EmptyState } from './EmptyState';
export { ErrorBanner } from './ErrorBanner';
export { Dialog } from './Dialog';
export { Toast } from './Toast';
