// Owns the settings every UI test shares: async UI gets a few seconds, not one, since the suite runs beside other work on a small machine.
import { configure } from '@testing-library/react';

configure({ asyncUtilTimeout: 5000 });
