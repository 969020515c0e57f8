import '../src/styles/tokens.css'
import '../src/styles/global.css'
import '../src/styles/utils.css'

/** @type {import('@storybook/react-vite').Preview} */
const preview = {
  parameters: { layout: 'padded' },
}
export default preview
